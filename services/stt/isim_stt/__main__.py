"""python -m isim_stt [--config-table]: runs the server (uvicorn, one process)."""
from __future__ import annotations

import sys

import uvicorn

from . import config, logs
from .app import create_app


def main(argv: list[str]) -> int:
    if argv[1:] == ["--config-table"]:
        print(config.markdown_table())
        return 0
    if argv[1:]:
        print("usage: python -m isim_stt [--config-table]", file=sys.stderr)
        return 2
    try:
        cfg = config.load()
    except config.ConfigError as e:
        logs.setup("info").error("configuration: %s", e)
        return 1
    logs.setup(cfg.log_level).info("listening on %s:%d", cfg.host, cfg.port)
    uvicorn.run(create_app(cfg), host=cfg.host, port=cfg.port, log_config=None, access_log=False,
                timeout_graceful_shutdown=10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
