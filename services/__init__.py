"""Productshot: product page URL in, finished marketing image out."""
