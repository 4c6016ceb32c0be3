"""The visible page: where the product is (its title and buy button) and what to ignore.

Shop pages repeat prices everywhere: related-product carousels, "recently viewed",
mini carts, shipping banners. Everything the DOM sources read is limited to the product
container (the smallest element holding both the title and the buy button) and skips
regions whose tags or class names say they are about other things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

__all__ = ["Layout", "find_layout", "attr_text", "is_excluded", "element_text"]

_H1 = etree.XPath("//h1")
# One pass over the tree: a union of four paths would walk it four times.
_BUTTONS = etree.XPath(
    "//*[self::button or (self::input and (@type='submit' or @type='button'))"
    " or (self::a and (@role='button' or contains(@class, 'btn') or contains(@class, 'button')"
    " or contains(@class, 'cart')))]"
)
_BUY_RE = re.compile(
    r"add[\s_-]?to[\s_-]?(cart|bag|basket|trolley)|(cart|basket|bag)/add|addtocart|buy[\s_-]?(now|button"
    r"|it)|in den (warenkorb|einkaufswagen)"
    r"|ajouter au panier|añadir al carrito|agregar al carrito|aggiungi al carrello|adicionar ao carrinho"
    r"|comprar|dodaj do koszyka|lägg i varukorgen|köp nu|в корзину|купить"
    r"|カートに入れる|カートに追加|今すぐ購入"
    r"|in (de )?winkelwagen|in (de )?winkelmand|aan winkelwagen|sepete ekle|satın al"
    r"|장바구니|구매하기|do košíku|kosárba|læg i kurv"
    r"|legg i handlekurv|lisää ostoskoriin|加入购物车|立即购买|أضف إلى السلة|أضف للسلة|اشتر الآن|कार्ट में जोड़ें"
    r"|अभी खरीदें|sold[\s_-]?out|ausverkauft",
    re.I,
)
# "Add" + "cart" in any of the shop's languages, in whatever word order the language uses.
_ADD_RE = re.compile(
    r"\b(add|añadir|agregar|adicionar|ajouter|aggiungi|hinzufügen|legen|dodaj|lägg|toevoegen|tilføj|legg"
    r"|lisää|vložit|přidat|hozzáad|adaugă|добавить|додати|ekle)|أضف|加入|追加|入れる|담기|जोड़ें",
    re.I,
)
_CART_RE = re.compile(
    r"cart|basket|bag|trolley|cesta|sacola|carrinho|carrito|carrello|panier|warenkorb|einkaufswagen|winkelmand"
    r"|winkelwagen|koszyk|varukorg|kurv|ostoskori|košík|kosár|coș|корзин|кошик|sepet|カート|购物车|購物車"
    r"|장바구니|سلة|السلة|कार्ट",
    re.I,
)
_EXCLUDED_TAGS = frozenset({"nav", "footer", "aside", "script", "style", "noscript", "template", "svg"})
_EXCLUDED_RE = re.compile(
    r"(?:^|[-_\s])(related|recommend\w*|similar|carousel|slider|swiper|upsells?|up-sell|cross-?sells?"
    r"|also|recent\w*|reviews?|ratings?|shipping|delivery|banner|newsletter|site-header|site-footer|navbar"
    r"|menu|breadcrumbs?|mini-?cart|cart-drawer|bundles?|accessor\w*|suggest\w*|popular|bestsellers?"
    r"|trending|viewed|sidebar|widget|installments?|klarna|afterpay|financ\w*|monthly|upsell|teaser"
    r"|product-?(grid|list|tile|card)s?|complementary|more-from|you-may-like|quick-?view|modal|popup)"
    r"(?:$|[-_\s])",
    re.I,
)
# Exact class tokens only: "product-header" is often the product's own title block.
_CHROME_CLASS_RE = re.compile(
    r"(?:^|\s)(header|page-header|site-header|masthead|top-bar|topbar)(?:$|\s)", re.I
)
_SPACE_RE = re.compile(r"\s+")
_NAMED_TITLES = etree.XPath(
    "//*[not(self::a or self::script or self::meta or self::title or self::img)]"
    "[contains(translate(@class, 'NT', 'nt'), 'name') or contains(translate(@class, 'NT', 'nt'), 'title')"
    " or contains(translate(@id, 'NT', 'nt'), 'name') or contains(translate(@id, 'NT', 'nt'), 'title')]"
)
_TITLE_NAME_RE = re.compile(
    r"(?:^|[-_\s])(?:product|item|sku|goods|pdp|prod|detail)[-_]?(?:name|title)(?:$|[-_\s])", re.I
)


_CAMEL_RE = re.compile(r"([a-z])([A-Z])")


def attr_text(el: etree._Element) -> str:
    """Class, id and itemprop: what its author named it ("deliveryBlock" read as "delivery-Block")."""
    names = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
    return _CAMEL_RE.sub(r"\1-\2", names) if names else names


def element_text(el: etree._Element) -> str:
    return _SPACE_RE.sub(" ", el.text_content()).strip()


def is_excluded(
    el: etree._Element, keep: frozenset[etree._Element] = frozenset(), max_depth: int = 1000
) -> bool:
    """True when el sits in navigation, a carousel, reviews, a banner and the like.

    ``keep`` holds the ancestors of the product title: a region that contains the title is
    the product's own, whatever its name ("layout-with-sidebar", "theme-menu-fixed" on a
    wrapper), so the walk stops there. ``html`` and ``body`` are never regions.
    """
    node: etree._Element | None = el
    depth = 0
    while node is not None and depth <= max_depth:
        if node in keep:
            return False
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("body", "html"):
            return False
        if tag in _EXCLUDED_TAGS:
            return True
        if tag == "header" and node.find(".//h1") is None:
            return True
        names = attr_text(node)
        if names and (_EXCLUDED_RE.search(names) or _CHROME_CLASS_RE.search(names)):
            return True
        node = node.getparent()
        depth += 1
    return False


@dataclass(slots=True)
class Layout:
    """Anchors of the product on the page; any of them may be missing."""

    title: lxml.html.HtmlElement | None
    buy_button: etree._Element | None
    container: etree._Element | None
    order: dict[etree._Element, int]
    #: The title and its ancestors: regions around the title are never excluded.
    keep: frozenset[etree._Element] = frozenset()

    def excluded(self, el: etree._Element) -> bool:
        return is_excluded(el, self.keep)

    def position(self, el: etree._Element) -> int:
        return self.order.get(el, 0)

    def contains(self, el: etree._Element) -> bool:
        if self.container is None:
            return False
        node: etree._Element | None = el
        while node is not None:
            if node is self.container:
                return True
            node = node.getparent()
        return False


def _ancestors(el: etree._Element) -> list[etree._Element]:
    chain = []
    node: etree._Element | None = el
    while node is not None:
        chain.append(node)
        node = node.getparent()
    return chain


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element | None:
    seen = set(_ancestors(a))
    return next((n for n in _ancestors(b) if n in seen), None)


def _form_action(el: etree._Element) -> str:
    """The action of the form a button submits: "/cart/add" says what the button does."""
    node = el.getparent()
    while node is not None:
        if node.tag == "form":
            return node.get("action") or ""
        node = node.getparent()
    return ""


def _buy_button(root: etree._Element, keep: frozenset[etree._Element]) -> etree._Element | None:
    for el in _BUTTONS(root):
        label = " ".join(
            (
                element_text(el),
                el.get("value") or "",
                el.get("name") or "",
                attr_text(el),
                el.get("aria-label") or "",
                el.get("data-action") or "",
                _form_action(el),
            )
        )
        is_buy = _BUY_RE.search(label) or (_ADD_RE.search(label) and _CART_RE.search(label))
        # Regions are the button's ancestors; its own id names the button ("submitRelated"), not one.
        parent = el.getparent()
        if is_buy and parent is not None and not is_excluded(parent, keep):
            return el
    return None


def _title_excluded(h1: etree._Element) -> bool:
    """An h1 in site chrome (the logo in the page header, a menu) is not the product title.

    Class names are read on the nearest wrappers only: a page-wide wrapper's name
    ("has-sidebar", "theme-menu-fixed") says nothing about the h1.
    """
    if is_excluded(h1, max_depth=1):
        return True
    node = h1.getparent()
    while node is not None:
        if node.tag in ("nav", "footer", "aside"):
            return True
        if node.tag == "header" and not any(a.tag in ("main", "article") for a in node.iterancestors()):
            return True
        node = node.getparent()
    return False


def _named_title(root: etree._Element) -> etree._Element | None:
    """Without an h1, the element named like the product's title ("sku-name", "productTitle")."""
    for el in _NAMED_TITLES(root):
        text = element_text(el)
        if (
            _TITLE_NAME_RE.search(attr_text(el))
            and 3 <= len(text) <= 300
            and not any(a.tag == "a" for a in el.iterancestors())
            and not is_excluded(el)
        ):
            return el
    return None


def find_layout(root: etree._Element) -> Layout:
    # The title is checked against its nearest wrappers only: a page-wide wrapper's class
    # ("has-sidebar") says nothing about the h1.
    title = next((h for h in _H1(root) if not _title_excluded(h) and element_text(h)), None)
    if title is None:
        title = _named_title(root)
    keep = frozenset(_ancestors(title)) if title is not None else frozenset()
    button = _buy_button(root, keep)
    container = None
    if title is not None and button is not None:
        container = _common_ancestor(title, button)
    if container is None or container.tag in ("html", "body"):
        anchor = button if button is not None else title
        if anchor is not None:
            chain = _ancestors(anchor)
            # A few levels up from the anchor holds the buy box in common templates.
            container = chain[min(4, len(chain) - 3)] if len(chain) > 3 else None
    # Positions are only compared inside the container, so only it is numbered.
    order = {el: i for i, el in enumerate(container.iter())} if container is not None else {}
    return Layout(title=title, buy_button=button, container=container, order=order, keep=keep)
