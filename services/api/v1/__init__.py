"""The versioned API (``/v1``): routes, request and response models, the OpenAPI document."""
