"""Stage: results. Files written, read and validated in one place; merging shards; the Hub."""
