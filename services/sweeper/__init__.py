"""The sweeper: finds jobs stuck past a deadline and re-drives or fails them."""
