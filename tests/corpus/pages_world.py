# ruff: noqa: E501  (page markup is data: long HTML lines stay as shops write them)
"""Corpus pages from shops in the Americas and Oceania (en-US, en-CA, en-AU, es-MX, pt-BR)."""

from __future__ import annotations

from .spec import NO_PRICE, Page, ld

_LONG = (
    "Our quietest blender yet. A 1,400 W motor and six stainless steel blades crush ice in seconds, while the "
    "vacuum mode removes air before blending so smoothies stay bright and separate less. The 1.8 L Tritan jar is "
    "dishwasher safe, the touch panel has five presets, and the noise shield keeps the kitchen conversation going "
    "even at full speed. Includes a tamper, a travel cup and a recipe book."
)

PAGES = [
    Page(
        "us-laptop-jsonld",
        "en-US",
        "https://www.techcorner.com/laptops/aero-14-pro",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Aero 14 Pro Laptop",
                "image": [
                    "https://cdn.techcorner.com/aero14/front.jpg",
                    "https://cdn.techcorner.com/aero14/side.jpg",
                ],
                "brand": {"@type": "Brand", "name": "Aero"},
                "sku": "AERO14P-16-512",
                "gtin12": "012345678905",
                "description": "<p>14-inch <b>OLED</b> laptop with 16 GB RAM &amp; 512 GB SSD.</p>",
                "offers": {
                    "@type": "Offer",
                    "price": "1299.00",
                    "priceCurrency": "USD",
                    "availability": "https://schema.org/InStock",
                    "url": "https://www.techcorner.com/laptops/aero-14-pro",
                },
            }
        ),
        product="""<div class="product__info"><h1 class="product__title">Aero 14 Pro Laptop</h1>
<div class="price price--large"><span class="price-item">$1,299</span></div>
<div class="klarna-placement">or 4 interest-free payments of $324.75</div>
<button type="submit" class="product-form__submit button">Add to cart</button></div>""",
        expected={
            "name": "Aero 14 Pro Laptop",
            "price": "1299.00",
            "currency": "USD",
            "availability": "InStock",
            "brand": "Aero",
            "sku": "AERO14P-16-512",
            "gtin": "012345678905",
            "description": "14-inch OLED laptop with 16 GB RAM & 512 GB SSD.",
            "images": [
                "https://cdn.techcorner.com/aero14/front.jpg",
                "https://cdn.techcorner.com/aero14/side.jpg",
            ],
        },
    ),
    Page(
        "us-mug-microdata",
        "en-US",
        "https://www.claymade.com/products/stoneware-mug",
        skeleton="c",
        head="",
        product="""<div itemscope itemtype="https://schema.org/Product" class="product-detail">
<div class="gallery"><img itemprop="image" src="https://www.claymade.com/img/mug-main.jpg" alt=""></div>
<h1 itemprop="name">Stoneware Mug, 12 oz</h1><meta itemprop="sku" content="CM-MUG-12">
<div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span class="price">$<span itemprop="price">12.99</span></span>
<meta itemprop="priceCurrency" content="USD"><link itemprop="availability" href="https://schema.org/InStock"></div>
<button class="add-to-cart">Add to Cart</button></div>""",
        expected={
            "name": "Stoneware Mug, 12 oz",
            "price": "12.99",
            "currency": "USD",
            "availability": "InStock",
            "sku": "CM-MUG-12",
            "images": ["https://www.claymade.com/img/mug-main.jpg"],
        },
    ),
    Page(
        "us-sneaker-js-price",
        "en-US",
        "https://www.kicks-hub.com/p/runner-zero",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Runner Zero",
                "image": "https://www.kicks-hub.com/img/runner-zero.jpg",
                "brand": "Kicks",
            }
        ),
        product="""<div id="pdp"><h1>Runner Zero</h1><div class="product-price" data-price-endpoint="/api/price/991"></div>
<button class="add-to-cart" disabled>Add to cart</button></div>""",
        expected={"error": NO_PRICE},
    ),
    Page(
        "us-headphones-upsell-from",
        "en-US",
        "https://www.audiostore.com/headphones/studio-7",
        skeleton="b",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Studio 7 Headphones",
                "image": "https://www.audiostore.com/img/studio7.jpg",
                "sku": "ST7",
                "offers": {
                    "@type": "Offer",
                    "price": "24.99",
                    "priceCurrency": "USD",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product-info-main"><h1 class="page-title">Studio 7 Headphones</h1>
<div class="bundle-offer">Bundle with case from $19.99</div>
<div class="price-box"><span class="price">$24.99</span></div>
<button class="action tocart">Add to Cart</button></div>""",
        expected={
            "name": "Studio 7 Headphones",
            "price": "24.99",
            "currency": "USD",
            "availability": "InStock",
            "sku": "ST7",
            "images": ["https://www.audiostore.com/img/studio7.jpg"],
        },
    ),
    Page(
        "us-sellers-multi-offer",
        "en-US",
        "https://www.market-place.com/item/desk-lamp-led",
        skeleton="c",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "LED Desk Lamp",
                "image": "https://www.market-place.com/i/desk-lamp.jpg",
                "gtin13": "0885909950805",
                "offers": [
                    {
                        "@type": "Offer",
                        "price": "39.99",
                        "priceCurrency": "USD",
                        "availability": "https://schema.org/InStock",
                        "seller": {"name": "LampCo"},
                    },
                    {
                        "@type": "Offer",
                        "price": "34.50",
                        "priceCurrency": "USD",
                        "availability": "https://schema.org/InStock",
                        "seller": {"name": "Market Place"},
                    },
                ],
            }
        ),
        product="""<div class="buybox"><h1>LED Desk Lamp</h1><div class="buybox-price"><span class="price">$34.50</span></div>
<div class="other-sellers">1 other seller from $39.99</div><button class="add-to-cart">Add to cart</button></div>""",
        expected={
            "name": "LED Desk Lamp",
            "price": "34.50",
            "currency": "USD",
            "availability": "InStock",
            "gtin": "0885909950805",
            "images": ["https://www.market-place.com/i/desk-lamp.jpg"],
        },
    ),
    Page(
        "us-jsonld-vs-microdata",
        "en-US",
        "https://www.gardenpro.com/tools/pruner-x",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Pruner X Bypass Shears",
                "image": "https://www.gardenpro.com/img/pruner-x.jpg",
                "offers": {"@type": "Offer", "price": "29.99", "priceCurrency": "USD"},
            }
        ),
        product="""<div itemscope itemtype="https://schema.org/Product" class="product-main"><h1 itemprop="name">Pruner X Bypass Shears</h1>
<div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="priceCurrency" content="USD">
<span class="was-price"><s>$29.99</s></span> <span class="sale-price" itemprop="price" content="24.99">$24.99</span></div>
<button class="add-to-cart">Add to cart</button></div>""",
        expected={
            "name": "Pruner X Bypass Shears",
            "price": "24.99",
            "currency": "USD",
            "regularPrice": "29.99",
            "offer": "-17%",
            "availability": "InStock",
            "images": ["https://www.gardenpro.com/img/pruner-x.jpg"],
        },
    ),
    Page(
        "us-blender-entities-gz",
        "en-US",
        "https://www.kitchenhq.com/blenders/vortex-quiet",
        skeleton="b",
        gzip=True,
        head="""<script type="application/ld+json">
<!--
{"@context": "https://schema.org", "@type": "Product", "name": "Vortex Quiet Blender &#8211; 1.8 L",
 "image": "/images/vortex-quiet.jpg", "brand": {"@type": "Brand", "name": "Vortex"},
 "description": "%s",
 "offers": {"@type": "Offer", "price": "349.95", "priceCurrency": "USD", "availability": "InStock"}}
-->
</script>""".replace("%s", _LONG),
        product="""<div class="product-info-main"><h1 class="page-title">Vortex Quiet Blender – 1.8 L</h1>
<span class="price">$349.95</span><button class="action tocart primary">Add to Cart</button></div>""",
        expected={
            "name": "Vortex Quiet Blender – 1.8 L",
            "price": "349.95",
            "currency": "USD",
            "availability": "InStock",
            "brand": "Vortex",
            "description": "Our quietest blender yet. A 1,400 W motor and six stainless steel blades crush ice in "
            "seconds, while the vacuum mode removes air before blending so smoothies stay bright and separate "
            "less. The 1.8 L Tritan jar is dishwasher safe, the touch panel has five presets, and the noise "
            "shield keeps the…",
            "images": ["https://www.kitchenhq.com/images/vortex-quiet.jpg"],
        },
    ),
    Page(
        "us-category-listing",
        "en-US",
        "https://www.techcorner.com/laptops",
        skeleton="a",
        head='<meta property="og:type" content="website">',
        product="""<div class="collection"><h1>Laptops</h1><ul class="collection-grid">
<li class="grid__item"><a href="/laptops/aero-14-pro">Aero 14 Pro</a> <span class="price">$1,299.00</span></li>
<li class="grid__item"><a href="/laptops/aero-16">Aero 16</a> <span class="price">$1,599.00</span></li></ul></div>""",
        expected={"error": "no product found"},
    ),
    Page(
        "ca-parka-dom",
        "en-CA",
        "https://www.northwear.ca/products/arctic-parka",
        skeleton="a",
        head='<meta property="og:type" content="product"><meta property="og:image" content="https://www.northwear.ca/cdn/arctic-parka.jpg">',
        product="""<div class="product-single"><h1 class="product-single__title">Arctic Parka</h1>
<div class="product-single__prices"><s class="product-single__price--compare">$899.00</s>
<span class="product-single__price on-sale">$699.00</span></div>
<button class="btn product-form__cart-submit">Add to cart</button></div>""",
        expected={
            "name": "Arctic Parka",
            "price": "699.00",
            "currency": "CAD",
            "regularPrice": "899.00",
            "offer": "-22%",
            "availability": "InStock",
            "images": ["https://www.northwear.ca/cdn/arctic-parka.jpg"],
        },
    ),
    Page(
        "au-boots-array",
        "en-AU",
        "https://www.bootbarn.com.au/chelsea-boot-tan",
        skeleton="c",
        head=ld(
            [
                {"@context": "https://schema.org", "@type": "Organization", "name": "Boot Barn AU"},
                {
                    "@context": "https://schema.org",
                    "@type": "Product",
                    "name": "Chelsea Boot – Tan",
                    "image": ["/media/chelsea-tan-1.jpg", "/media/chelsea-tan-2.jpg"],
                    "brand": "Stockman",
                    "offers": {
                        "@type": "Offer",
                        "price": "279.95",
                        "priceCurrency": "AUD",
                        "availability": "https://schema.org/LimitedAvailability",
                    },
                },
            ]
        ),
        product="""<div class="summary"><h1 class="product_title">Chelsea Boot – Tan</h1><p class="price">$279.95</p>
<button class="single_add_to_cart_button button">Add to bag</button></div>""",
        expected={
            "name": "Chelsea Boot – Tan",
            "price": "279.95",
            "currency": "AUD",
            "availability": "InStock",
            "brand": "Stockman",
            "images": [
                "https://www.bootbarn.com.au/media/chelsea-tan-1.jpg",
                "https://www.bootbarn.com.au/media/chelsea-tan-2.jpg",
            ],
        },
    ),
    Page(
        "mx-licuadora-dom",
        "es-MX",
        "https://www.cocina-mx.com.mx/licuadora-10-vel",
        skeleton="b",
        head='<meta property="og:type" content="product"><meta property="og:image" content="https://www.cocina-mx.com.mx/img/licuadora.jpg">',
        product="""<div class="product-info-main"><h1>Licuadora 10 velocidades</h1>
<div class="price-box"><span class="price">$1,899.00</span></div><button class="action tocart">Agregar al carrito</button></div>""",
        expected={
            "name": "Licuadora 10 velocidades",
            "price": "1899.00",
            "currency": "MXN",
            "availability": "InStock",
            "images": ["https://www.cocina-mx.com.mx/img/licuadora.jpg"],
        },
    ),
    Page(
        "br-tenis-productgroup",
        "pt-BR",
        "https://www.loja-esporte.com.br/tenis-corrida-leve?variant=42",
        skeleton="a",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "ProductGroup",
                "name": "Tênis de corrida Leve",
                "productGroupID": "LEVE",
                "brand": {"@type": "Brand", "name": "Passo"},
                "image": "https://www.loja-esporte.com.br/img/leve.jpg",
                "hasVariant": [
                    {
                        "@type": "Product",
                        "name": "Tênis Leve 41",
                        "sku": "LEVE-41",
                        "offers": {
                            "@type": "Offer",
                            "price": "1299.90",
                            "priceCurrency": "BRL",
                            "url": "https://www.loja-esporte.com.br/tenis-corrida-leve?variant=41",
                            "availability": "https://schema.org/OutOfStock",
                        },
                    },
                    {
                        "@type": "Product",
                        "name": "Tênis Leve 42",
                        "sku": "LEVE-42",
                        "offers": {
                            "@type": "Offer",
                            "price": "1299.90",
                            "priceCurrency": "BRL",
                            "url": "https://www.loja-esporte.com.br/tenis-corrida-leve?variant=42",
                            "availability": "https://schema.org/InStock",
                        },
                    },
                ],
            }
        ),
        product="""<div class="product__info"><h1>Tênis de corrida Leve</h1><div class="price"><span class="price-item">R$ 1.299,90</span></div>
<div class="installments">ou 10x de R$ 129,99 sem juros</div>
<button class="product-form__submit">Adicionar ao carrinho</button></div>""",
        expected={
            "name": "Tênis de corrida Leve",
            "price": "1299.90",
            "currency": "BRL",
            "availability": "InStock",
            "brand": "Passo",
            "sku": "LEVE-42",
            "images": ["https://www.loja-esporte.com.br/img/leve.jpg"],
        },
    ),
    Page(
        "br-camiseta-de-por",
        "pt-BR",
        "https://www.modabr.com.br/camiseta-algodao-basica",
        skeleton="c",
        head='<meta property="og:type" content="product"><meta property="og:image" content="https://www.modabr.com.br/fotos/camiseta.jpg">',
        product="""<div class="summary"><h1 class="product_title">Camiseta algodão básica</h1>
<p class="price">De <del><span class="amount">R$ 199,90</span></del> por <ins><span class="amount">R$ 149,90</span></ins></p>
<span class="onsale">25% OFF</span><button class="single_add_to_cart_button">Comprar</button></div>""",
        expected={
            "name": "Camiseta algodão básica",
            "price": "149.90",
            "currency": "BRL",
            "regularPrice": "199.90",
            "offer": "25% OFF",
            "availability": "InStock",
            "images": ["https://www.modabr.com.br/fotos/camiseta.jpg"],
        },
    ),
]
