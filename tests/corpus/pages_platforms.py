# ruff: noqa: E501  (page markup is data: long HTML lines stay as shops write them)
"""Corpus pages shaped like the big shop platforms' templates, with their quirks."""

from __future__ import annotations

from .spec import Page, ld

PAGES = [
    Page(
        "us-shopify-variants-sale",
        "en-US",
        "https://www.linenandco.com/products/linen-shirt",
        skeleton="a",
        head=ld(
            {
                "@context": "http://schema.org/",
                "@type": "Product",
                "name": "Linen Shirt",
                "url": "https://www.linenandco.com/products/linen-shirt",
                "image": ["https://www.linenandco.com/cdn/shop/files/linen-shirt.jpg?v=1699&width=1920"],
                "description": "Relaxed shirt in washed European linen.",
                "sku": "LS-S",
                "brand": {"@type": "Brand", "name": "Linen & Co"},
                "offers": [
                    {
                        "@type": "Offer",
                        "availability": "http://schema.org/InStock",
                        "price": "19.99",
                        "priceCurrency": "USD",
                        "sku": "LS-S",
                        "url": "https://www.linenandco.com/products/linen-shirt?variant=4411",
                    },
                    {
                        "@type": "Offer",
                        "availability": "http://schema.org/OutOfStock",
                        "price": "19.99",
                        "priceCurrency": "USD",
                        "sku": "LS-M",
                        "url": "https://www.linenandco.com/products/linen-shirt?variant=4412",
                    },
                ],
            }
        ),
        product="""<section class="shopify-section section"><div class="product grid">
<div class="product__media-wrapper"><img class="product__media-img" src="//www.linenandco.com/cdn/shop/files/linen-shirt.jpg?v=1699&width=946" alt=""></div>
<div class="product__info-wrapper"><div class="product__info-container">
<p class="product__text caption-with-letter-spacing">Linen &amp; Co</p>
<div class="product__title"><h1>Linen Shirt</h1></div>
<div class="price price--on-sale"><div class="price__container"><div class="price__sale">
<span class="visually-hidden">Regular price</span><s class="price-item price-item--regular">$29.99</s>
<span class="visually-hidden">Sale price</span><span class="price-item price-item--sale price-item--last">$19.99</span>
</div></div><span class="badge price__badge-sale">Sale</span></div>
<div class="product__tax caption rte">Shipping calculated at checkout.</div>
<variant-selects><select name="options[Size]"><option>S</option><option>M – sold out</option></select></variant-selects>
<button type="submit" name="add" class="product-form__submit button button--full-width">Add to cart</button>
</div></div></div></section>
<div class="sticky-atc"><span>Linen Shirt</span> <span class="price">$19.99</span><button>Add to cart</button></div>""",
        expected={
            "name": "Linen Shirt",
            "price": "19.99",
            "currency": "USD",
            "regularPrice": "29.99",
            "offer": "-33%",
            "availability": "InStock",
            "brand": "Linen & Co",
            "sku": "LS-S",
            "description": "Relaxed shirt in washed European linen.",
            "images": ["https://www.linenandco.com/cdn/shop/files/linen-shirt.jpg?v=1699&width=1920"],
        },
    ),
    Page(
        "us-marketplace-no-markup",
        "en-US",
        "https://www.bigmarket.com/dp/B0EXAMPLE1",
        skeleton="b",
        head='<meta name="description" content="Stainless steel French press, 34 oz.">',
        product="""<div id="dp-container"><div id="leftCol"><div id="imgTagWrapperId" class="imgTagWrapper">
<img id="landingImage" data-old-hires="https://m.bigmarket-img.com/images/I/press-1500.jpg" src="https://m.bigmarket-img.com/images/I/press-500.jpg" alt=""></div></div>
<div id="centerCol"><div id="titleSection"><h1 id="title" class="a-size-large"><span id="productTitle">  Steel French Press Coffee Maker, 34 oz  </span></h1></div>
<a id="bylineInfo" href="/stores/Presso">Visit the Presso Store</a>
<div id="corePrice_feature_div"><span class="a-price aok-align-center priceToPay"><span class="a-offscreen">$27.99</span>
<span aria-hidden="true"><span class="a-price-symbol">$</span><span class="a-price-whole">27<span class="a-price-decimal">.</span></span><span class="a-price-fraction">99</span></span></span>
<span class="savingsPercentage">-30%</span>
<div class="basisPrice">List Price: <span class="a-price a-text-price" data-a-strike="true"><span class="a-offscreen">$39.99</span></span></div></div>
</div><div id="rightCol"><div id="buybox"><div id="deliveryBlock">FREE delivery on orders over $35 shipped by us</div>
<div id="availability"><span class="a-size-medium a-color-success">In Stock</span></div>
<input id="add-to-cart-button" type="submit" value="Add to Cart" name="submit.add-to-cart">
<input id="buy-now-button" type="submit" value="Buy Now"></div></div></div>
<div id="sims-consolidated-2_feature_div" class="a-carousel-container"><h2>Products related to this item</h2>
<ol class="a-carousel"><li><span class="a-price"><span class="a-offscreen">$19.49</span></span></li>
<li><span class="a-price"><span class="a-offscreen">$31.00</span></span></li></ol></div>""",
        expected={
            "name": "Steel French Press Coffee Maker, 34 oz",
            "price": "27.99",
            "currency": "USD",
            "regularPrice": "39.99",
            "offer": "-30%",
            "availability": "InStock",
            "description": "Stainless steel French press, 34 oz.",
            "images": ["https://m.bigmarket-img.com/images/I/press-1500.jpg"],
        },
    ),
    Page(
        "de-uvp-sup-cents",
        "de-DE",
        "https://www.technik-discount.de/staubsauger-roboter-r5",
        skeleton="c",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Saugroboter R5",
                "image": "https://www.technik-discount.de/img/r5.jpg",
                "brand": {"@type": "Brand", "name": "Robo"},
                "gtin13": "4260123456788",
                "offers": {
                    "@type": "Offer",
                    "price": "1.299,00",
                    "priceCurrency": "EUR",
                    "availability": "https://schema.org/InStock",
                },
            }
        ),
        product="""<div class="product-detail-buy"><h1 class="product-detail-name">Saugroboter R5</h1>
<p class="product-detail-list-price">UVP 1.499,00 €</p>
<div class="product-detail-price">1.299<sup>,00 €*</sup></div><p class="product-detail-tax">inkl. MwSt.</p>
<button class="btn btn-primary btn-buy">In den Warenkorb</button></div>""",
        expected={
            "name": "Saugroboter R5",
            "price": "1299.00",
            "currency": "EUR",
            "regularPrice": "1499.00",
            "offer": "-13%",
            "availability": "InStock",
            "brand": "Robo",
            "gtin": "4260123456788",
            "images": ["https://www.technik-discount.de/img/r5.jpg"],
        },
    ),
    Page(
        "fr-zero-price-markup",
        "fr-FR",
        "https://www.jardin-facile.fr/tondeuse-electrique-38",
        skeleton="b",
        head=ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Tondeuse électrique 38 cm",
                "image": "https://www.jardin-facile.fr/media/tondeuse-38.jpg",
                "offers": {"@type": "Offer", "price": "0.00", "priceCurrency": "EUR"},
            }
        ),
        product="""<div class="product-info-main"><h1 class="page-title">Tondeuse électrique 38 cm</h1>
<div class="price-box price-final_price"><span class="price-container"><span class="price-wrapper"><span class="price">189,00 €</span></span></span></div>
<div class="product-info-stock-sku"><div class="stock available"><span>En stock</span></div>
<div class="product attribute sku"><strong class="type">Réf. :</strong> <div class="value">JF-T38</div></div></div>
<button class="action primary tocart">Ajouter au panier</button></div>""",
        expected={
            "name": "Tondeuse électrique 38 cm",
            "price": "189.00",
            "currency": "EUR",
            "availability": "InStock",
            "sku": "JF-T38",
            "images": ["https://www.jardin-facile.fr/media/tondeuse-38.jpg"],
        },
    ),
]
