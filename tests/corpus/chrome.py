# ruff: noqa: E501  (page markup is data: long HTML lines stay as shops write them)
"""Shop page chrome around each corpus product: navigation, banners, carousels, reviews.

Everything here is noise the extractor must ignore: the mini cart, the free-shipping
threshold, related products with their own (and "from") prices, review counts and
analytics scripts. Three skeletons in the style of common shop platforms vary the class
names, so the extractor's rules cannot lean on one template.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Locale", "LOCALES", "wrap_page"]


@dataclass(frozen=True)
class Locale:
    lang: str
    cart: str
    free_shipping: str  # contains a money threshold
    related: str
    from_price: str  # a "from" price for a related item
    prices: tuple[str, str, str]  # other products' prices, written the local way
    reviews: str
    newsletter: str


LOCALES: dict[str, Locale] = {
    "en-US": Locale(
        "en-US",
        "Cart (2) · $57.98",
        "Free shipping on orders over $50",
        "You may also like",
        "from $9.99",
        ("$19.99", "$249.00", "$1,049.00"),
        "4.6 out of 5 (213 reviews)",
        "Get 10% off your first order",
    ),
    "en-GB": Locale(
        "en-GB",
        "Basket £0.00",
        "Free UK delivery over £40",
        "Customers also bought",
        "from £7.50",
        ("£12.99", "£89.00", "£1,150.00"),
        "Rated 4.4 by 87 customers",
        "Sign up for 15% off",
    ),
    "en-CA": Locale(
        "en-CA",
        "Cart $0.00",
        "Free shipping over $75",
        "Related products",
        "from $14.99",
        ("$39.99", "$189.00", "$329.00"),
        "128 reviews",
        "Join our list",
    ),
    "en-AU": Locale(
        "en-AU",
        "Bag $0.00",
        "Free delivery over $99",
        "You might also like",
        "from $19.95",
        ("$59.95", "$149.95", "$89.00"),
        "4.8 (56 reviews)",
        "Subscribe",
    ),
    "en-IN": Locale(
        "en-IN",
        "Bag ₹0",
        "Free delivery on orders above ₹499",
        "Similar products",
        "from ₹299",
        ("₹799", "₹1,499", "₹12,999"),
        "4.2 ★ 1,284 ratings",
        "Get offers",
    ),
    "de-DE": Locale(
        "de-DE",
        "Warenkorb 0,00 €",
        "Versandkostenfrei ab 50 €",
        "Das könnte Ihnen auch gefallen",
        "ab 9,99 €",
        ("24,95 €", "1.099,00 €", "89,90 €"),
        "4,5 von 5 Sternen (312 Bewertungen)",
        "10 % Rabatt für Newsletter-Abonnenten",
    ),
    "de-CH": Locale(
        "de-CH",
        "Warenkorb CHF 0.00",
        "Gratis Versand ab CHF 100.–",
        "Ähnliche Produkte",
        "ab CHF 19.90",
        ("CHF 49.90", "CHF 1'490.00", "CHF 299.00"),
        "78 Bewertungen",
        "Newsletter",
    ),
    "fr-FR": Locale(
        "fr-FR",
        "Panier 0,00 €",
        "Livraison gratuite dès 49 €",
        "Vous aimerez aussi",
        "à partir de 12,90 €",
        ("29,99 €", "349,00 €", "1 199,00 €"),
        "4,3/5 (96 avis)",
        "-10 % sur votre première commande",
    ),
    "es-ES": Locale(
        "es-ES",
        "Cesta 0,00 €",
        "Envío gratis a partir de 30 €",
        "También te puede interesar",
        "desde 14,95 €",
        ("39,95 €", "129,00 €", "1.249,00 €"),
        "4,7 (58 opiniones)",
        "Suscríbete",
    ),
    "es-MX": Locale(
        "es-MX",
        "Carrito $0.00",
        "Envío gratis en compras mayores a $999",
        "Productos relacionados",
        "desde $199",
        ("$349.00", "$2,499.00", "$1,199.00"),
        "4.5 (41 opiniones)",
        "Suscríbete",
    ),
    "it-IT": Locale(
        "it-IT",
        "Carrello 0,00 €",
        "Spedizione gratuita sopra i 59 €",
        "Potrebbe interessarti",
        "da 19,90 €",
        ("49,90 €", "1.290,00 €", "79,00 €"),
        "4,6 su 5 (132 recensioni)",
        "Iscriviti alla newsletter",
    ),
    "pt-BR": Locale(
        "pt-BR",
        "Sacola R$ 0,00",
        "Frete grátis acima de R$ 199",
        "Quem viu, viu também",
        "a partir de R$ 49,90",
        ("R$ 89,90", "R$ 1.499,00", "R$ 259,90"),
        "4,8 (1.024 avaliações)",
        "Cadastre-se",
    ),
    "nl-NL": Locale(
        "nl-NL",
        "Winkelwagen € 0,00",
        "Gratis verzending vanaf € 25",
        "Anderen bekeken ook",
        "vanaf € 9,99",
        ("€ 24,99", "€ 1.299,00", "€ 79,95"),
        "4,4 (61 reviews)",
        "Nieuwsbrief",
    ),
    "pl-PL": Locale(
        "pl-PL",
        "Koszyk 0,00 zł",
        "Darmowa dostawa od 199 zł",
        "Inni kupili również",
        "od 39,99 zł",
        ("59,99 zł", "2 499,00 zł", "129,00 zł"),
        "4,5/5 (204 opinie)",
        "Newsletter",
    ),
    "sv-SE": Locale(
        "sv-SE",
        "Varukorg 0 kr",
        "Fri frakt över 499 kr",
        "Andra köpte även",
        "från 99 kr",
        ("249 kr", "1 995 kr", "3 490 kr"),
        "4,6 (77 recensioner)",
        "Nyhetsbrev",
    ),
    "ru-RU": Locale(
        "ru-RU",
        "Корзина 0 ₽",
        "Бесплатная доставка от 3 000 ₽",
        "С этим товаром покупают",
        "от 990 ₽",
        ("1 490 ₽", "24 990 ₽", "7 990 ₽"),
        "4,7 (389 отзывов)",
        "Подписка",
    ),
    "ja-JP": Locale(
        "ja-JP",
        "カート ¥0",
        "5,000円以上で送料無料",
        "この商品を見た人はこんな商品も見ています",
        "¥980から",
        ("¥3,980", "¥24,800", "¥1,280"),
        "★4.5（152件のレビュー）",
        "メルマガ登録",
    ),
    "zh-CN": Locale(
        "zh-CN",
        "购物车 ¥0.00",
        "满¥99包邮",
        "猜你喜欢",
        "¥59起",
        ("¥129.00", "¥2,399.00", "¥89.00"),
        "好评率98%（2.3万条评价）",
        "订阅",
    ),
    "ko-KR": Locale(
        "ko-KR",
        "장바구니 ₩0",
        "₩30,000 이상 무료배송",
        "함께 본 상품",
        "₩9,900부터",
        ("₩19,800", "₩129,000", "₩45,000"),
        "리뷰 1,203개",
        "뉴스레터",
    ),
    "hi-IN": Locale(
        "hi-IN",
        "कार्ट ₹0",
        "₹499 से ऊपर के ऑर्डर पर मुफ़्त डिलीवरी",
        "समान उत्पाद",
        "₹199 से",
        ("₹1,299", "₹45,999", "₹649"),
        "4.3 ★ (2,140 रेटिंग)",
        "सदस्यता लें",
    ),
    "ar-KW": Locale(
        "ar-KW",
        "السلة 0.000 د.ك",
        "توصيل مجاني للطلبات فوق 15.000 د.ك",
        "منتجات ذات صلة",
        "ابتداءً من 4.500 د.ك",
        ("9.750 د.ك", "22.000 د.ك", "149.900 د.ك"),
        "4.6 (88 تقييم)",
        "اشترك",
    ),
    "tr-TR": Locale(
        "tr-TR",
        "Sepet ₺0,00",
        "500 TL üzeri kargo bedava",
        "Benzer ürünler",
        "₺149,90'dan başlayan",
        ("₺299,90", "₺1.899,00", "₺649,00"),
        "4,5 (312 değerlendirme)",
        "Bülten",
    ),
}

_SKELETONS = {
    # Shopify-like
    "a": (
        '<header class="site-header"><a class="logo" href="/"><img src="/logo.svg" alt="logo"></a>'
        '<nav class="main-nav"><a href="/new">New</a> <a href="/sale">Sale</a></nav>'
        '<a class="header-cart" href="/cart">{cart}</a></header>'
        '<div class="announcement-bar"><p class="shipping-note">{free_shipping}</p></div>',
        '<section class="product-recommendations"><h2>{related}</h2><ul class="grid">{cards}</ul></section>'
        '<section id="shopify-product-reviews" class="spr-reviews"><span>{reviews}</span></section>',
    ),
    # Magento-like
    "b": (
        '<div class="page-header"><div class="header content"><a class="action showcart">{cart}</a>'
        '<ul class="nav-sections"><li><a href="/women">Women</a></li><li><a href="/men">Men</a></li></ul>'
        '</div></div><div class="top-banner"><strong>{free_shipping}</strong></div>'
        '<div class="breadcrumbs"><a href="/">Home</a> / <a href="/c">Catalog</a></div>',
        '<div class="block upsell"><strong class="block-title">{related}</strong>'
        '<ol class="products list items product-items">{cards}</ol></div>'
        '<div class="product info detailed"><div class="reviews-summary">{reviews}</div></div>',
    ),
    # WooCommerce-like
    "c": (
        '<div id="masthead" class="site-header"><span class="cart-contents">{cart}</span></div>'
        '<div class="woocommerce-store-notice">{free_shipping}</div>',
        '<section class="related products"><h2>{related}</h2><ul class="products columns-4">{cards}</ul>'
        '</section><div id="reviews" class="woocommerce-Reviews"><p>{reviews}</p></div>',
    ),
}

# Mini cart drawer, recently viewed items and a cookie banner: more prices and buttons
# that belong to other things than the page's product.
_DRAWER = (
    '<div id="cookie-consent" class="cookie-banner"><p>We use cookies.</p><button class="btn">OK</button></div>'
    '<div class="cart-drawer" aria-hidden="true"><p>{cart}</p><ul><li>Last added <span class="price">{p0}</span>'
    '</li></ul><a class="btn checkout" href="/checkout">Checkout</a></div>'
)
_RECENT = (
    '<aside class="recently-viewed"><h3>Recently viewed</h3><div class="mini-product">'
    '<a href="/p/seen-1">Seen item</a> <span class="price">{p1}</span>'
    '<button class="btn quick-add">+</button></div></aside>'
)
_CARD = (
    '<li class="product-card"><a href="/p/other-{n}"><img src="/img/other-{n}.jpg" alt="">'
    '<span class="card-title">Other item {n}</span><span class="price">{price}</span></a></li>'
)


def wrap_page(locale: str, head: str, product: str, *, skeleton: str = "a", title: str = "") -> str:
    loc = LOCALES[locale]
    top, bottom = _SKELETONS[skeleton]
    cards = "".join(_CARD.format(n=i, price=p) for i, p in enumerate(loc.prices, 1))
    cards += _CARD.format(n=9, price=loc.from_price)
    drawer = _DRAWER.format(cart=loc.cart, p0=loc.prices[0])
    recent = _RECENT.format(p1=loc.prices[1])
    fields = {
        "cart": loc.cart,
        "free_shipping": loc.free_shipping,
        "related": loc.related,
        "cards": cards,
        "reviews": loc.reviews,
    }
    lang = locale if locale != "es-MX" else "es-MX"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
        f"{head}\n<script>window.dataLayer=[{{'event':'view','value':0,'items':[]}}];</script>\n</head>\n<body>\n"
        f'{drawer}\n{top.format(**fields)}\n<main id="MainContent">\n{product}\n{bottom.format(**fields)}\n'
        f"{recent}\n</main>\n"
        f'<footer class="site-footer"><form class="newsletter"><p>{loc.newsletter}</p>'
        '<input type="email"><button type="submit">OK</button></form><p>© Shop</p></footer>\n'
        '<script src="/assets/app.js" defer></script>\n</body>\n</html>\n'
    )
