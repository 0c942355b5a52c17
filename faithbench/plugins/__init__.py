"""Plugins: the manager (pluggy + entry points), YAML task files, and the new-task scaffold."""
