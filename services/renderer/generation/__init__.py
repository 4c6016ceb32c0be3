"""Background generation: OpenAI's image models, or the offline generator."""
