"""llama-cpp-python's OpenAI-compatible server (python -m llama_cpp.server,
same arguments) with llama.cpp's extra CPU buffer types off.

Why: built with GGML_NATIVE on this project's 2-core VM (which reports
AMX_INT8), llama.cpp 0.3.36's AMX matrix multiply crashes the server with a
segmentation fault on the first request (ggml_backend_amx_mul_mat). Turning
off the extra buffer types (model parameter use_extra_bufts, used for weight
repacking and AMX) avoids that code; the server exposes no option for it."""
import sys

import llama_cpp.llama_cpp as ll  # the ctypes bindings Llama() calls

_default_params = ll.llama_model_default_params


def _params_without_extra_bufts():
    p = _default_params()
    p.use_extra_bufts = False
    return p


ll.llama_model_default_params = _params_without_extra_bufts

from llama_cpp.server.__main__ import main  # noqa: E402  (after the patch)

if __name__ == "__main__":
    sys.argv[0] = "llama_cpp.server"
    main()
