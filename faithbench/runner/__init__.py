"""Stage: records. Plans run in lockstep; their requests are deduplicated, cached and dispatched."""
