"""Stage: plans. The standard CoT plan, its prompt and cue placements, and answer reading."""
