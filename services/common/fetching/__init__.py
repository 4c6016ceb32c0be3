"""The URL-fetching policy the services share: the safe fetcher and what it refuses.

The scraper fetches product pages and photos with it; the API fetches a caller's
``product.imageUrl``. Settings: ``FETCH_*`` (``fetch_settings.py``); see docs/fetching.md.
"""
