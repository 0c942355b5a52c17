"""Stage: metrics. Computing each task's metrics, and the bootstrap behind every CI."""
