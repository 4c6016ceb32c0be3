# ruff: noqa: E501  (page markup is data: long HTML lines stay as shops write them)
"""Corpus pages from European shops (de, fr, es, it, nl, pl, sv, ru, de-CH, en-GB)."""

from __future__ import annotations

from .spec import NO_PRICE, Page, ld

PAGES = [
    Page(
        "de-kaffeemaschine-broken-jsonld",
        "de-DE",
        "https://www.kaffee-haus.de/p/barista-pro-900",
        skeleton="b",
        head="""<meta property="og:type" content="product">
<meta property="og:image" content="https://cdn.kaffee-haus.de/img/barista-pro-900-og.jpg">
<script type="application/ld+json">
{
  "@context": "https://schema.org",
  "@type": "Product",
  // vom Template eingefügt
  "name": "Siebträgermaschine Barista Pro 900",
  "description": "Zweikreis-Siebträger mit PID-Regelung
und Milchlanze aus Edelstahl.",
  "image": ["https://cdn.kaffee-haus.de/img/barista-pro-900.jpg", "https://cdn.kaffee-haus.de/img/barista-pro-900-side.jpg",],
  "brand": {"@type": "Brand", "name": "Kaffeewerk",},
  "sku": "KW-BP900",
  "gtin13": "4006381333931",
  "offers": {"@type": "Offer", "price": "1234.56", "priceCurrency": "EUR",
             "availability": "http://schema.org/InStock",},
}
</script>""",
        product="""<div class="product-info-main"><h1 class="page-title"><span>Siebträgermaschine Barista Pro 900</span></h1>
<div class="product-info-price"><div class="price-box"><span class="price">1.234,56 €</span></div>
<p class="tax">inkl. 19 % MwSt., zzgl. Versand</p></div>
<div class="stock available"><span>Auf Lager</span></div>
<form action="/checkout/cart/add"><button type="submit" class="action tocart primary">In den Warenkorb</button></form>
</div><div class="product media"><img class="gallery-placeholder__image" src="/img/barista-pro-900.jpg" alt=""></div>""",
        expected={
            "name": "Siebträgermaschine Barista Pro 900",
            "price": "1234.56",
            "currency": "EUR",
            "availability": "InStock",
            "brand": "Kaffeewerk",
            "sku": "KW-BP900",
            "gtin": "4006381333931",
            "description": "Zweikreis-Siebträger mit PID-Regelung und Milchlanze aus Edelstahl.",
            "images": [
                "https://cdn.kaffee-haus.de/img/barista-pro-900.jpg",
                "https://cdn.kaffee-haus.de/img/barista-pro-900-side.jpg",
            ],
        },
    ),
    Page(
        "de-ebike-dom-only",
        "de-DE",
        "https://www.radwelt.de/e-bikes/trekking-e7",
        skeleton="c",
        head='<meta name="description" content="Trekking-E-Bike mit 625 Wh Akku und Kettenschaltung.">',
        product="""<div class="product type-product"><div class="woocommerce-product-gallery">
<img class="wp-post-image" src="/wp-content/uploads/trekking-e7-1200x800.jpg" alt="Trekking E7"></div>
<div class="summary entry-summary"><h1 class="product_title entry-title">Trekking E7 Wave</h1>
<p class="price"><del><span class="woocommerce-Price-amount amount">3.999,00&nbsp;€</span></del>
<ins><span class="woocommerce-Price-amount amount">3.499,00&nbsp;€</span></ins></p>
<p class="stock in-stock">Sofort lieferbar</p>
<form class="cart"><button type="submit" name="add-to-cart" class="single_add_to_cart_button button">In den Warenkorb</button></form>
<div class="product_meta"><span class="sku_wrapper">Art.-Nr.: <span class="sku">RW-E7-W</span></span></div>
</div></div>""",
        expected={
            "name": "Trekking E7 Wave",
            "price": "3499.00",
            "currency": "EUR",
            "regularPrice": "3999.00",
            "offer": "-13%",
            "availability": "InStock",
            "sku": "RW-E7-W",
            "description": "Trekking-E-Bike mit 625 Wh Akku und Kettenschaltung.",
            "images": ["https://www.radwelt.de/wp-content/uploads/trekking-e7-1200x800.jpg"],
        },
    ),
    Page(
        "de-jacke-js-price",
        "de-DE",
        "https://www.outdoor-profi.de/p/jacke-alpin",
        skeleton="b",
        head='<meta property="og:type" content="product"><meta property="og:title" content="Jacke Alpin">',
        product="""<div class="product-detail" itemscope itemtype="https://schema.org/Product">
<h1 itemprop="name">Jacke Alpin</h1><meta itemprop="brand" content="Bergwerk">
<div class="price-wrapper" data-bind="price: finalPrice"><span class="price-loading">Preis wird geladen …</span></div>
<button class="btn add-to-cart" disabled>In den Warenkorb</button></div>""",
        expected={"error": NO_PRICE},
    ),
    Page(
        "de-messer-cp1252",
        "de-DE",
        "https://www.kuechen-shop.de/messer/kochmesser-20",
        skeleton="a",
        encoding="cp1252",
        head="""<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<meta property="og:type" content="product"><meta property="og:title" content="Kochmesser 20 cm – Küchen-Shop">
<meta property="og:image" content="https://www.kuechen-shop.de/bilder/kochmesser-20.jpg">
<meta property="product:price:amount" content="89.95"><meta property="product:price:currency" content="EUR">""",
        product="""<div class="product-single"><h1 class="product-single__title">Kochmesser 20 cm</h1>
<div class="product-single__price"><span class="product-price">89,95 €</span></div>
<button class="product-form__cart-submit" type="submit">In den Warenkorb legen</button></div>""",
        expected={
            "name": "Kochmesser 20 cm",
            "price": "89.95",
            "currency": "EUR",
            "availability": "InStock",
            "images": ["https://www.kuechen-shop.de/bilder/kochmesser-20.jpg"],
        },
    ),
    Page(
        "ch-uhr-jsonld",
        "de-CH",
        "https://www.uhrenladen.ch/de/automatik-taucher-200",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Automatik Taucher 200",
                "image": "https://www.uhrenladen.ch/media/taucher-200.jpg",
                "brand": "Helvetor",
                "mpn": "HT-200-BLK",
                "offers": {
                    "@type": "Offer",
                    "price": "1234.50",
                    "priceCurrency": "CHF",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product-main"><h1>Automatik Taucher 200</h1>
<div class="product-price"><span class="money">CHF 1'234.50</span></div>
<button class="add-to-cart">In den Warenkorb</button></div>""",
        expected={
            "name": "Automatik Taucher 200",
            "price": "1234.50",
            "currency": "CHF",
            "availability": "InStock",
            "brand": "Helvetor",
            "sku": "HT-200-BLK",
            "images": ["https://www.uhrenladen.ch/media/taucher-200.jpg"],
        },
    ),
    Page(
        "fr-casque-microdata-sale",
        "fr-FR",
        "https://www.son-et-image.fr/casque-anc-x3",
        skeleton="b",
        head='<meta property="og:image" content="https://www.son-et-image.fr/media/casque-x3-og.jpg">',
        product="""<div class="product-main" itemscope itemtype="http://schema.org/Product">
<h1 itemprop="name">Casque sans fil ANC X3</h1>
<img itemprop="image" src="/media/casque-x3.jpg" alt="Casque X3">
<span itemprop="brand" itemscope itemtype="http://schema.org/Brand"><span itemprop="name">Sonora</span></span>
<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
<meta itemprop="priceCurrency" content="EUR"><span class="old-price"><span class="price">149,99 €</span></span>
<span class="special-price"><span class="price" itemprop="price" content="119.99">119,99 €</span></span>
<span class="discount-badge">-20 %</span>
<link itemprop="availability" href="http://schema.org/InStock"></div>
<p itemprop="description">Réduction de bruit active, 30 h d’autonomie.</p>
<button class="btn-cart" title="Ajouter au panier">Ajouter au panier</button></div>""",
        expected={
            "name": "Casque sans fil ANC X3",
            "price": "119.99",
            "currency": "EUR",
            "regularPrice": "149.99",
            "offer": "-20 %",
            "availability": "InStock",
            "brand": "Sonora",
            "description": "Réduction de bruit active, 30 h d’autonomie.",
            "images": ["https://www.son-et-image.fr/media/casque-x3.jpg"],
        },
    ),
    Page(
        "fr-sac-rdfa",
        "fr-FR",
        "https://maroquinerie-lyon.fr/sacs/cabas-cuir-camel",
        skeleton="c",
        head="",
        product="""<div vocab="https://schema.org/" typeof="Product" class="fiche-produit">
<h1 property="name">Cabas en cuir camel</h1>
<img property="image" src="/images/cabas-camel-large.jpg" alt="">
<div property="brand" typeof="Brand"><span property="name">Atelier Rhône</span></div>
<span property="sku">AR-CAB-CML</span>
<div property="offers" typeof="Offer"><span class="prix"><span property="price" content="245.00">245,00 €</span>
<meta property="priceCurrency" content="EUR"></span>
<link property="availability" href="https://schema.org/InStock">En stock</div>
<button class="bouton ajout-panier">Ajouter au panier</button></div>""",
        expected={
            "name": "Cabas en cuir camel",
            "price": "245.00",
            "currency": "EUR",
            "availability": "InStock",
            "brand": "Atelier Rhône",
            "sku": "AR-CAB-CML",
            "images": ["https://maroquinerie-lyon.fr/images/cabas-camel-large.jpg"],
        },
    ),
    Page(
        "fr-velo-js-price",
        "fr-FR",
        "https://www.cycles-martin.fr/velo-gravel-g2",
        skeleton="a",
        head="""<meta property="og:type" content="product"><meta property="og:title" content="Vélo gravel G2">
<script>window.__PRODUCT__={"id":8812,"name":"Vélo gravel G2"};</script>""",
        product="""<div id="product-root"><h1 class="pdp-title">Vélo gravel G2</h1>
<div class="pdp-price" data-product-id="8812"><span class="price">--,-- €</span></div>
<button class="pdp-add" type="button">Ajouter au panier</button></div>""",
        expected={"error": NO_PRICE},
    ),
]

PAGES += [
    Page(
        "es-zapatillas-graph",
        "es-ES",
        "https://www.deportes-sol.es/zapatillas/trail-runner-5",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {
                        "@type": "Organization",
                        "@id": "https://www.deportes-sol.es/#org",
                        "name": "Deportes Sol",
                    },
                    {
                        "@type": "WebPage",
                        "@id": "https://www.deportes-sol.es/zapatillas/trail-runner-5#webpage",
                        "inLanguage": "es-ES",
                        "mainEntity": {
                            "@id": "https://www.deportes-sol.es/zapatillas/trail-runner-5#product"
                        },
                    },
                    {
                        "@type": "Product",
                        "@id": "https://www.deportes-sol.es/zapatillas/trail-runner-5#product",
                        "name": "Zapatillas Trail Runner 5",
                        "sku": "TR5-42",
                        "gtin": "8412345678905",
                        "image": {"@type": "ImageObject", "url": "https://cdn.deportes-sol.es/tr5/main.jpg"},
                        "brand": {"@id": "https://www.deportes-sol.es/#brand-montana"},
                        "offers": {"@id": "https://www.deportes-sol.es/zapatillas/trail-runner-5#offer"},
                    },
                    {
                        "@type": "Brand",
                        "@id": "https://www.deportes-sol.es/#brand-montana",
                        "name": "Montaña",
                    },
                    {
                        "@type": "Offer",
                        "@id": "https://www.deportes-sol.es/zapatillas/trail-runner-5#offer",
                        "price": 89.95,
                        "priceCurrency": "EUR",
                        "availability": "https://schema.org/InStock",
                    },
                ],
            }
        ),
        product="""<div class="product__info-wrapper"><h1 class="product__title">Zapatillas Trail Runner 5</h1>
<div class="price"><span class="price-item price-item--regular">89,95 €</span></div>
<button type="submit" name="add" class="product-form__submit">Añadir al carrito</button></div>""",
        expected={
            "name": "Zapatillas Trail Runner 5",
            "price": "89.95",
            "currency": "EUR",
            "availability": "InStock",
            "brand": "Montaña",
            "sku": "TR5-42",
            "gtin": "8412345678905",
            "images": ["https://cdn.deportes-sol.es/tr5/main.jpg"],
        },
    ),
    Page(
        "es-cafetera-itemprop-meta",
        "es-ES",
        "https://www.hogarplus.es/cafetera-italiana-6",
        skeleton="b",
        head="""<meta itemprop="name" content="Cafetera italiana 6 tazas">
<meta itemprop="price" content="24.90"><meta itemprop="priceCurrency" content="EUR">
<meta itemprop="availability" content="https://schema.org/OutOfStock">
<meta property="og:image" content="https://www.hogarplus.es/img/cafetera-6.jpg">""",
        product="""<div class="ficha"><h1>Cafetera italiana 6 tazas</h1><div class="precio"><span class="price">24,90 €</span></div>
<p class="availability out-of-stock">Agotado</p><button class="btn btn-buy" disabled>Añadir al carrito</button></div>""",
        expected={
            "name": "Cafetera italiana 6 tazas",
            "price": "24.90",
            "currency": "EUR",
            "availability": "OutOfStock",
            "images": ["https://www.hogarplus.es/img/cafetera-6.jpg"],
        },
    ),
    Page(
        "it-divano-aggregate",
        "it-IT",
        "https://www.casa-bella.it/divani/divano-3-posti-lino",
        skeleton="c",
        head=ld(
            {
                "@context": "https://schema.org/",
                "@type": "Product",
                "name": "Divano 3 posti in lino",
                "image": ["https://www.casa-bella.it/img/divano-lino-1.jpg"],
                "brand": {"@type": "Brand", "name": "Casa Bella"},
                "offers": {
                    "@type": "AggregateOffer",
                    "lowPrice": "1290.00",
                    "highPrice": "1590.00",
                    "priceCurrency": "EUR",
                    "offerCount": 3,
                },
            }
        ),
        product="""<div class="summary"><h1 class="product_title">Divano 3 posti in lino</h1>
<p class="price"><span class="amount">1.290,00 €</span></p>
<button class="single_add_to_cart_button">Aggiungi al carrello</button></div>""",
        expected={
            "name": "Divano 3 posti in lino",
            "price": "1290.00",
            "currency": "EUR",
            "availability": "InStock",
            "brand": "Casa Bella",
            "images": ["https://www.casa-bella.it/img/divano-lino-1.jpg"],
        },
    ),
    Page(
        "it-borsa-stale-jsonld",
        "it-IT",
        "https://www.pelletteria-roma.it/borsa-tote-nera",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Borsa tote nera",
                "image": "https://www.pelletteria-roma.it/cdn/tote-nera.jpg",
                "sku": "PR-TOTE-N",
                "offers": {
                    "@type": "Offer",
                    "price": "89.00",
                    "priceCurrency": "EUR",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product-single__meta"><h1>Borsa tote nera</h1>
<div class="product__price"><s class="price-item--regular">89,00 €</s> <span class="price-item--sale">69,00 €</span>
<span class="badge badge--sale">Risparmi 20,00 €</span></div>
<button class="add-to-cart">Aggiungi al carrello</button></div>""",
        expected={
            "name": "Borsa tote nera",
            "price": "69.00",
            "currency": "EUR",
            "regularPrice": "89.00",
            "offer": "Risparmi 20,00 €",
            "availability": "InStock",
            "sku": "PR-TOTE-N",
            "images": ["https://www.pelletteria-roma.it/cdn/tote-nera.jpg"],
        },
    ),
    Page(
        "nl-fiets-entities",
        "nl-NL",
        "https://www.fietsenwinkel.nl/stadsfiets-oma-28",
        skeleton="b",
        head="""<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",
"name":"Stadsfiets &quot;Oma&quot; 28 inch","image":"https://www.fietsenwinkel.nl/img/oma-28.jpg",
"brand":{"@type":"Brand","name":"Gazelle &amp; Zn"},"offers":{"@type":"Offer","price":"649.00","priceCurrency":"EUR",
"availability":"https://schema.org/InStock"}}</script>""",
        product="""<div class="product-view"><h1>Stadsfiets "Oma" 28 inch</h1><span class="price">€ 649,00</span>
<button class="add-to-cart">In winkelwagen</button></div>""",
        expected={
            "name": 'Stadsfiets "Oma" 28 inch',
            "price": "649.00",
            "currency": "EUR",
            "availability": "InStock",
            "brand": "Gazelle & Zn",
            "images": ["https://www.fietsenwinkel.nl/img/oma-28.jpg"],
        },
    ),
    Page(
        "pl-rower-pricespec",
        "pl-PL",
        "https://sklep-rowerowy.pl/rower-gorski-mx29",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Rower górski MX29",
                "image": "https://sklep-rowerowy.pl/zdjecia/mx29.jpg",
                "gtin13": "5901234123457",
                "offers": {
                    "@type": "Offer",
                    "priceCurrency": "PLN",
                    "availability": "https://schema.org/InStock",
                    "priceSpecification": [
                        {"@type": "UnitPriceSpecification", "price": 1299.00, "priceCurrency": "PLN"},
                        {
                            "@type": "UnitPriceSpecification",
                            "price": 1599.00,
                            "priceCurrency": "PLN",
                            "priceType": "https://schema.org/StrikethroughPrice",
                        },
                    ],
                },
            }
        ),
        product="""<div class="product-card__main"><h1>Rower górski MX29</h1>
<div class="product-price"><span class="price--old">1 599,00 zł</span> <span class="price--current">1 299,00 zł</span></div>
<button class="btn-add-to-cart">Dodaj do koszyka</button></div>""",
        expected={
            "name": "Rower górski MX29",
            "price": "1299.00",
            "currency": "PLN",
            "regularPrice": "1599.00",
            "offer": "-19%",
            "availability": "InStock",
            "gtin": "5901234123457",
            "images": ["https://sklep-rowerowy.pl/zdjecia/mx29.jpg"],
        },
    ),
    Page(
        "pl-ksiazka-dom",
        "pl-PL",
        "https://ksiegarnia.pl/ksiazka/wiedzmin-ostatnie-zyczenie",
        skeleton="c",
        head='<meta property="og:image" content="https://ksiegarnia.pl/okladki/ostatnie-zyczenie.jpg">',
        product="""<div class="product-details"><h1 class="product-title">Wiedźmin. Ostatnie życzenie</h1>
<div class="author">Andrzej Sapkowski</div><div class="product-price"><span>49,99 zł</span></div>
<p class="product-availability">Dostępny</p>
<button class="add-to-cart-button">Dodaj do koszyka</button></div>""",
        expected={
            "name": "Wiedźmin. Ostatnie życzenie",
            "price": "49.99",
            "currency": "PLN",
            "availability": "InStock",
            "images": ["https://ksiegarnia.pl/okladki/ostatnie-zyczenie.jpg"],
        },
    ),
    Page(
        "se-stol-jsonld",
        "sv-SE",
        "https://www.mobelhuset.se/stolar/karmstol-ek",
        skeleton="b",
        head=ld(
            [
                {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []},
                {
                    "@context": "https://schema.org",
                    "@type": "Product",
                    "name": "Karmstol i ek",
                    "image": ["https://www.mobelhuset.se/bilder/karmstol-ek.jpg"],
                    "sku": "MH-4411",
                    "offers": {
                        "@type": "Offer",
                        "price": "1295",
                        "priceCurrency": "SEK",
                        "availability": "https://schema.org/InStock",
                    },
                },
            ]
        ),
        product="""<div class="product-info"><h1>Karmstol i ek</h1><div class="price-box"><span class="price">1 295 kr</span></div>
<button class="action tocart">Lägg i varukorgen</button></div>""",
        expected={
            "name": "Karmstol i ek",
            "price": "1295.00",
            "currency": "SEK",
            "availability": "InStock",
            "sku": "MH-4411",
            "images": ["https://www.mobelhuset.se/bilder/karmstol-ek.jpg"],
        },
    ),
    Page(
        "se-lampa-dom",
        "sv-SE",
        "https://www.ljusbutiken.se/golvlampa-bage",
        skeleton="a",
        head='<meta property="og:type" content="product"><meta property="og:image" content="https://www.ljusbutiken.se/img/bage.jpg">',
        product="""<div class="pdp"><h1 class="pdp__name">Golvlampa Båge</h1><p class="pdp__price">2 495 kr</p>
<p class="pdp__stock">I lager</p><button class="pdp__buy">Köp nu</button></div>""",
        expected={
            "name": "Golvlampa Båge",
            "price": "2495.00",
            "currency": "SEK",
            "availability": "InStock",
            "images": ["https://www.ljusbutiken.se/img/bage.jpg"],
        },
    ),
    Page(
        "ru-pylesos-microdata",
        "ru-RU",
        "https://www.tehnomir.ru/catalog/pylesos-v12",
        skeleton="c",
        head="",
        product="""<div class="card" itemscope itemtype="https://schema.org/Product">
<h1 itemprop="name">Пылесос беспроводной V12</h1><img itemprop="image" src="/upload/v12-big.jpg" alt="">
<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
<span class="product-price" itemprop="price" content="12800">12 800 ₽</span><meta itemprop="priceCurrency" content="RUB">
<link itemprop="availability" href="https://schema.org/InStock"></div>
<div class="product-code">Артикул: <span>TM-V12-01</span></div>
<button class="btn-buy">В корзину</button></div>""",
        expected={
            "name": "Пылесос беспроводной V12",
            "price": "12800.00",
            "currency": "RUB",
            "availability": "InStock",
            "sku": "TM-V12-01",
            "images": ["https://www.tehnomir.ru/upload/v12-big.jpg"],
        },
    ),
    Page(
        "ru-chainik-outofstock",
        "ru-RU",
        "https://shop.kuhnya.ru/chainik-steklo-17",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Чайник стеклянный 1,7 л",
                "image": "https://shop.kuhnya.ru/img/chainik-17.jpg",
                "brand": {"@type": "Brand", "name": "Кухня+"},
                "offers": {
                    "@type": "Offer",
                    "price": "2490",
                    "priceCurrency": "RUB",
                    "availability": "https://schema.org/OutOfStock",
                },
            }
        ),
        product="""<div class="product-main"><h1>Чайник стеклянный 1,7 л</h1><div class="price">2 490 ₽</div>
<div class="availability">Нет в наличии</div><button class="notify-me">Сообщить о поступлении</button></div>""",
        expected={
            "name": "Чайник стеклянный 1,7 л",
            "price": "2490.00",
            "currency": "RUB",
            "availability": "OutOfStock",
            "brand": "Кухня+",
            "images": ["https://shop.kuhnya.ru/img/chainik-17.jpg"],
        },
    ),
    Page(
        "uk-jacket-og",
        "en-GB",
        "https://www.northern-outfitters.co.uk/products/waxed-jacket",
        skeleton="a",
        head="""<meta property="og:type" content="product"><meta property="og:site_name" content="Northern Outfitters">
<meta property="og:title" content="Waxed Cotton Jacket | Northern Outfitters">
<meta property="og:description" content="A classic waxed jacket with a tartan lining and corduroy collar.">
<meta property="og:image" content="https://cdn.northern-outfitters.co.uk/waxed-jacket.jpg?v=17">
<meta property="product:price:amount" content="189.00"><meta property="product:price:currency" content="GBP">
<meta property="product:availability" content="instock"><meta property="product:brand" content="Northern">""",
        product="""<div class="product-single__meta"><h1>Waxed Cotton Jacket</h1><span class="product-price">£189.00</span>
<button class="btn product-form__cart-submit">Add to basket</button></div>""",
        expected={
            "name": "Waxed Cotton Jacket",
            "price": "189.00",
            "currency": "GBP",
            "availability": "InStock",
            "brand": "Northern",
            "description": "A classic waxed jacket with a tartan lining and corduroy collar.",
            "images": ["https://cdn.northern-outfitters.co.uk/waxed-jacket.jpg?v=17"],
        },
    ),
    Page(
        "uk-kettle-save",
        "en-GB",
        "https://www.homeware-direct.co.uk/kettles/brew-1-7",
        skeleton="b",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Brew 1.7L Kettle",
                "brand": "Brew",
                "image": "https://www.homeware-direct.co.uk/media/brew-kettle.jpg",
                "sku": "BRW-17",
                "offers": {
                    "@type": "Offer",
                    "price": "59.99",
                    "priceCurrency": "GBP",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product-info-main"><h1 class="page-title">Brew 1.7L Kettle</h1>
<div class="price-box"><span class="old-price"><span class="price">£59.99</span></span>
<span class="special-price"><span class="price">£44.99</span></span><span class="saving">Save £15</span></div>
<button class="action tocart">Add to Basket</button></div>""",
        expected={
            "name": "Brew 1.7L Kettle",
            "price": "44.99",
            "currency": "GBP",
            "regularPrice": "59.99",
            "offer": "Save £15",
            "availability": "InStock",
            "brand": "Brew",
            "sku": "BRW-17",
            "images": ["https://www.homeware-direct.co.uk/media/brew-kettle.jpg"],
        },
    ),
]
