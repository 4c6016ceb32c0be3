"""The batch worker: catalog runs of many jobs."""
