"""The model backends faithbench itself adds to lm-eval's registry, through the plugin hook (the
synthetic test models are a plugin of their own: ``faithbench.testing``)."""

from faithbench.api.hookspecs import hookimpl
from faithbench.api.model_spec import ModelSpec


@hookimpl
def faithbench_models():
    # imported when the models are asked for: lm-eval's API stack costs `faithbench --help` ~1 s
    from faithbench.models.backends import API_BACKENDS
    from faithbench.models.llama_cpp import LlamaCppLM

    return [
        *API_BACKENDS,  # lm-eval's API backends, subclassed (models/backends.py)
        ModelSpec(
            "llama-cpp",
            LlamaCppLM,
            "Any GGUF file in-process via llama-cpp-python; default: embedded Gemma 3 270M",
        ),
    ]
