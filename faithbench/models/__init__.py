"""Stage: the model. Any lm-eval backend by registry name behind one client, and faithbench's own."""
