"""The batch worker: catalog runs expanded from a source and released into the pipeline."""
