"""The batch worker: expands batch sources, releases a batch's items into the pipeline
under each tenant's fair share, and follows its jobs' events to the batch's end."""
