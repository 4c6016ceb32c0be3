"""The sweeper: finds jobs stuck past a deadline and re-drives or fails them; nudges stalled
batches, or fails their queued rows."""
