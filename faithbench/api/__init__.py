"""Contracts: hookspecs, Task, Condition, Item, requests and their purposes, prompts, Metric, Judge,
Pass, errors and the JSON Schemas. Implementations live in the stage folders beside this one."""
