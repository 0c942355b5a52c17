"""Stage orchestration: the run configuration, its samples, and the orchestrator."""
