"""Structured logs with the request id on every line (plain text or JSON lines).

``logging_config()`` is a ``logging.config.dictConfig`` dictionary rather than handlers built in
place: ``serve`` hands it to uvicorn, which applies it in every worker process it spawns (a
spawned worker starts with a blank logging setup), so every process logs the same way. Uvicorn's
own loggers propagate to the same handler.
"""

from __future__ import annotations

import contextvars
import json
import logging
import logging.config
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamp the current request's id (``-`` outside a request) on the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the caller's
    structured ``fields`` and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get() or "-",
        }
        # Structured fields a caller passed as ``extra={"fields": {...}}`` (e.g. the access log).
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            payload.update({k: v for k, v in fields.items() if k not in payload})
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def logging_config(level: str = "INFO", *, json_lines: bool = False) -> dict[str, Any]:
    """The whole process's logging: one stderr handler on the root logger."""
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"} if json_lines else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": f"{__name__}.RequestIdFilter"}},
        "formatters": {"portal": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "portal",
                "filters": ["request_id"],
            }
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        # Uvicorn's loggers keep no handlers of their own: their lines get ours (JSON included).
        "loggers": {
            name: {"handlers": [], "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
        },
    }


def configure_logging(level: str = "INFO", *, json_lines: bool = False) -> None:
    logging.config.dictConfig(logging_config(level, json_lines=json_lines))
