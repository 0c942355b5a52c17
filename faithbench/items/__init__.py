"""Stage: items. The sources a run chooses with --items (procedural, jsonl, hf, turpin2023)."""
