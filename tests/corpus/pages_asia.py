# ruff: noqa: E501  (page markup is data: long HTML lines stay as shops write them)
"""Corpus pages from shops in Asia and the Middle East (ja, zh, ko, hi, en-IN, ar, tr)."""

from __future__ import annotations

from .spec import NO_PRICE, Page, ld

PAGES = [
    Page(
        "ja-kettle-jsonld",
        "ja-JP",
        "https://shop.kurashi.jp/items/electric-kettle-08",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "電気ケトル 0.8L マットブラック",
                "image": "https://shop.kurashi.jp/img/kettle-08-black.jpg",
                "brand": {"@type": "Brand", "name": "くらし"},
                "sku": "KR-EK08-BK",
                "gtin13": "4901234567894",
                "description": "注ぎやすい細口ノズルで、ハンドドリップにも最適な電気ケトルです。",
                "offers": {
                    "@type": "Offer",
                    "price": 12800,
                    "priceCurrency": "JPY",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product__info"><h1>電気ケトル 0.8L マットブラック</h1>
<div class="price"><span class="price-item">¥12,800</span><span class="tax">（税込）</span></div>
<button class="product-form__submit">カートに入れる</button></div>""",
        expected={
            "name": "電気ケトル 0.8L マットブラック",
            "price": "12800",
            "currency": "JPY",
            "availability": "InStock",
            "brand": "くらし",
            "sku": "KR-EK08-BK",
            "gtin": "4901234567894",
            "description": "注ぎやすい細口ノズルで、ハンドドリップにも最適な電気ケトルです。",
            "images": ["https://shop.kurashi.jp/img/kettle-08-black.jpg"],
        },
    ),
    Page(
        "ja-rice-cooker-dom",
        "ja-JP",
        "https://www.denki-ya.jp/product/rice-cooker-5go",
        skeleton="b",
        head='<meta property="og:type" content="product"><meta property="og:image" content="https://www.denki-ya.jp/images/rc5.jpg">',
        product="""<div class="product-info-main"><h1>IH炊飯器 5合炊き</h1>
<div class="price-box"><span class="price">24,800円</span><span class="tax-label">（税込）</span></div>
<p class="stock">在庫あり</p><button class="action tocart">カートに入れる</button></div>""",
        expected={
            "name": "IH炊飯器 5合炊き",
            "price": "24800",
            "currency": "JPY",
            "availability": "InStock",
            "images": ["https://www.denki-ya.jp/images/rc5.jpg"],
        },
    ),
    Page(
        "ja-camera-gz",
        "ja-JP",
        "https://camera-no-mise.jp/goods/mirrorless-z10",
        skeleton="c",
        gzip=True,
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "ミラーレスカメラ Z10 ボディ",
                "image": ["https://camera-no-mise.jp/goods/img/z10-main.jpg"],
                "brand": "Zeta",
                "offers": {
                    "@type": "Offer",
                    "price": "148000",
                    "priceCurrency": "JPY",
                    "availability": "https://schema.org/SoldOut",
                },
            }
        ),
        product="""<div class="summary"><h1 class="product_title">ミラーレスカメラ Z10 ボディ</h1><p class="price">¥148,000</p>
<p class="stock out-of-stock">売り切れ</p></div>""",
        expected={
            "name": "ミラーレスカメラ Z10 ボディ",
            "price": "148000",
            "currency": "JPY",
            "availability": "OutOfStock",
            "brand": "Zeta",
            "images": ["https://camera-no-mise.jp/goods/img/z10-main.jpg"],
        },
    ),
    Page(
        "cn-earbuds-og-dom",
        "zh-CN",
        "https://www.shuma-mall.cn/item/earbuds-pro2",
        skeleton="a",
        head="""<meta property="og:type" content="product"><meta property="og:title" content="无线降噪耳机 Pro 2">
<meta property="og:image" content="https://img.shuma-mall.cn/earbuds-pro2.jpg">""",
        product="""<div class="item-main"><h1 class="item-title">无线降噪耳机 Pro 2</h1>
<div class="item-price"><span class="price-now">¥1,299.00</span> <del class="price-origin">¥1,599.00</del></div>
<button class="btn-addcart">加入购物车</button></div>""",
        expected={
            "name": "无线降噪耳机 Pro 2",
            "price": "1299.00",
            "currency": "CNY",
            "regularPrice": "1599.00",
            "offer": "-19%",
            "availability": "InStock",
            "images": ["https://img.shuma-mall.cn/earbuds-pro2.jpg"],
        },
    ),
    Page(
        "cn-teapot-microdata",
        "zh-CN",
        "https://www.chaju.cn/p/zisha-teapot",
        skeleton="c",
        head="",
        product="""<div class="detail" itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">宜兴紫砂壶 西施 200ml</h1>
<img itemprop="image" src="//img.chaju.cn/zisha-200.jpg" alt="">
<div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span class="price">¥<span itemprop="price">368.00</span></span>
<meta itemprop="priceCurrency" content="CNY"><meta itemprop="availability" content="InStock"></div>
<p class="goods-sn">货号：ZS-XS-200</p><button class="buy-now">立即购买</button></div>""",
        expected={
            "name": "宜兴紫砂壶 西施 200ml",
            "price": "368.00",
            "currency": "CNY",
            "availability": "InStock",
            "sku": "ZS-XS-200",
            "images": ["https://img.chaju.cn/zisha-200.jpg"],
        },
    ),
    Page(
        "kr-serum-jsonld",
        "ko-KR",
        "https://www.beauty-mall.kr/goods/vitamin-serum",
        skeleton="b",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "비타민 C 세럼 30ml",
                "image": "https://www.beauty-mall.kr/img/serum.jpg",
                "brand": "글로우",
                "offers": {
                    "@type": "Offer",
                    "price": "39000",
                    "priceCurrency": "KRW",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product-info-main"><h1>비타민 C 세럼 30ml</h1><span class="price">₩39,000</span>
<button class="action tocart">장바구니 담기</button></div>""",
        expected={
            "name": "비타민 C 세럼 30ml",
            "price": "39000",
            "currency": "KRW",
            "availability": "InStock",
            "brand": "글로우",
            "images": ["https://www.beauty-mall.kr/img/serum.jpg"],
        },
    ),
    Page(
        "in-tv-jsonld",
        "en-IN",
        "https://www.electromart.in/tv/oled-55-c3",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "55 inch OLED TV C3",
                "image": "https://www.electromart.in/images/oled55.jpg",
                "brand": {"@type": "Brand", "name": "Lumen"},
                "offers": {
                    "@type": "Offer",
                    "price": "123456",
                    "priceCurrency": "INR",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product__info"><h1>55 inch OLED TV C3</h1><div class="price"><span class="price-item">₹1,23,456</span></div>
<div class="emi-offer">No Cost EMI from ₹10,288/month</div><button class="add-to-cart">Add to Cart</button></div>""",
        expected={
            "name": "55 inch OLED TV C3",
            "price": "123456.00",
            "currency": "INR",
            "availability": "InStock",
            "brand": "Lumen",
            "images": ["https://www.electromart.in/images/oled55.jpg"],
        },
    ),
    Page(
        "in-kurta-dom-sale",
        "en-IN",
        "https://www.desi-threads.in/kurta-cotton-indigo",
        skeleton="c",
        head='<meta property="og:type" content="product"><meta property="og:image" content="https://www.desi-threads.in/img/kurta-indigo.jpg">',
        product="""<div class="pdp-details"><h1 class="pdp-title">Cotton Kurta – Indigo</h1>
<p class="pdp-price"><strong class="pdp-selling">₹2,499</strong> <span class="pdp-mrp">MRP <s>₹3,999</s></span>
<span class="pdp-discount">(37% OFF)</span></p><p class="tax-info">inclusive of all taxes</p>
<button class="pdp-add-to-bag">Add to Bag</button></div>""",
        expected={
            "name": "Cotton Kurta – Indigo",
            "price": "2499.00",
            "currency": "INR",
            "regularPrice": "3999.00",
            "offer": "37% OFF",
            "availability": "InStock",
            "images": ["https://www.desi-threads.in/img/kurta-indigo.jpg"],
        },
    ),
    Page(
        "hi-mixer-jsonld",
        "hi-IN",
        "https://www.rasoi-shop.in/hi/mixer-grinder-750",
        skeleton="b",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "मिक्सर ग्राइंडर 750 वॉट",
                "image": "https://www.rasoi-shop.in/img/mixer-750.jpg",
                "offers": {
                    "@type": "Offer",
                    "price": "3499",
                    "priceCurrency": "INR",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product-info-main"><h1>मिक्सर ग्राइंडर 750 वॉट</h1><span class="price">₹3,499</span>
<button class="action tocart">कार्ट में जोड़ें</button></div>""",
        expected={
            "name": "मिक्सर ग्राइंडर 750 वॉट",
            "price": "3499.00",
            "currency": "INR",
            "availability": "InStock",
            "images": ["https://www.rasoi-shop.in/img/mixer-750.jpg"],
        },
    ),
    Page(
        "kw-perfume-jsonld",
        "ar-KW",
        "https://www.oud-house.com.kw/ar/oud-royal-100ml",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "عطر عود ملكي 100 مل",
                "image": "https://www.oud-house.com.kw/media/oud-royal.jpg",
                "brand": "بيت العود",
                "offers": {
                    "@type": "Offer",
                    "price": "34.500",
                    "priceCurrency": "KWD",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product__info" dir="rtl"><h1>عطر عود ملكي 100 مل</h1><div class="price"><span>34.500 د.ك</span></div>
<button class="add-to-cart">أضف إلى السلة</button></div>""",
        expected={
            "name": "عطر عود ملكي 100 مل",
            "price": "34.500",
            "currency": "KWD",
            "availability": "InStock",
            "brand": "بيت العود",
            "images": ["https://www.oud-house.com.kw/media/oud-royal.jpg"],
        },
    ),
    Page(
        "kw-watch-dom",
        "ar-KW",
        "https://www.saat-kw.com/ar/watch-classic-40",
        skeleton="c",
        head='<meta property="og:type" content="product"><meta property="og:image" content="https://www.saat-kw.com/img/classic-40.jpg">',
        product="""<div class="summary" dir="rtl"><h1 class="product_title">ساعة كلاسيك 40 مم</h1>
<p class="price"><span class="amount">KD 34.000</span></p><button class="single_add_to_cart_button">أضف إلى السلة</button></div>""",
        expected={
            "name": "ساعة كلاسيك 40 مم",
            "price": "34.000",
            "currency": "KWD",
            "availability": "InStock",
            "images": ["https://www.saat-kw.com/img/classic-40.jpg"],
        },
    ),
    Page(
        "tr-hali-dom",
        "tr-TR",
        "https://www.halidunyasi.com.tr/yun-hali-160x230",
        skeleton="a",
        head='<meta property="og:type" content="product"><meta property="og:image" content="https://www.halidunyasi.com.tr/img/yun-hali.jpg">',
        product="""<div class="product-detail"><h1>Yün Halı 160x230</h1><div class="product-price"><span class="price">₺4.299,00</span></div>
<button class="add-to-cart">Sepete Ekle</button></div>""",
        expected={
            "name": "Yün Halı 160x230",
            "price": "4299.00",
            "currency": "TRY",
            "availability": "InStock",
            "images": ["https://www.halidunyasi.com.tr/img/yun-hali.jpg"],
        },
    ),
    Page(
        "ja-futon-js-price",
        "ja-JP",
        "https://www.nemuri.jp/products/futon-set",
        skeleton="a",
        head='<meta property="og:type" content="product"><meta property="og:title" content="羽毛布団セット">',
        product="""<div class="product-main"><h1>羽毛布団セット</h1><div class="product-price"><span class="price js-price"></span></div>
<noscript>価格を表示するにはJavaScriptを有効にしてください</noscript><button class="add-to-cart">カートに入れる</button></div>""",
        expected={"error": NO_PRICE},
    ),
]
