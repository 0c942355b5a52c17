"""Provider batch APIs as a run mode (``run --batch-api``): each stage's uncached requests go out as
batches, persisted as soon as submitted, and their answers land in the same cache as live ones."""
