"""The hidden cells every post runs with, on any kernel: our display formatters first, a probe last."""

from __future__ import annotations

from pathlib import Path

# Run after the post's cells, in the same kernel: what the code actually ran on. Only a post that
# imported torch asks CUDA, so a plain post pays nothing for it.
PROBE = """\
def _coursenotes_probe():
    import importlib.metadata, json, platform, sys
    def version(name):
        mod = sys.modules.get(name)
        if getattr(mod, "__version__", None): return str(mod.__version__)
        try: return importlib.metadata.version(name)
        except Exception: return None
    device, torch = "cpu", sys.modules.get("torch")
    try:
        if torch is not None and torch.cuda.is_available(): device = torch.cuda.get_device_name(0)
    except Exception: pass
    print(json.dumps({"python": platform.python_version(), "torch": version("torch"),
                      "fastai": version("fastai"), "device": device}))
_coursenotes_probe(); del _coursenotes_probe
"""


# Run first, in the same kernel: our display formatters (mermaid-py diagrams as ```mermaid markdown).
# The module's source is sent, not imported, so a kernel without coursenotes installed (a gateway's) gets them too.
SETUP = """\
def _coursenotes_setup(source):
    try:
        namespace = {"__name__": "coursenotes_kernel_formatters"}
        exec(compile(source, "coursenotes_kernel_formatters", "exec"), namespace)
        namespace["register"]()
    except Exception:
        pass   # formatters are a nicety: never let them fail a post
_coursenotes_setup(%r); del _coursenotes_setup
"""


def setup_code() -> str:
    """The hidden first cell: the kernel_formatters module, sent as source."""
    return SETUP % (Path(__file__).parent / "kernel_formatters.py").read_text()
