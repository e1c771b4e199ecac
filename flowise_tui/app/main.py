"""Start the app from the command line's options."""

from __future__ import annotations

import argparse
import os

from flowise_tui.config import (
    URL_ENV_VAR,
    Config,
    ConfigError,
    Connection,
    config_path,
    load_config,
    resolve_connection,
)


def run_app(args: argparse.Namespace) -> int:
    from flowise_tui.app.app import FlowiseApp

    startup_error: str | None = None
    try:
        config = load_config()
    except ConfigError as exc:
        config = Config(path=exc.path)
        startup_error = f"{exc} Running with default settings."
    demo = None
    if args.demo:
        from flowise_tui.demo.runner import DemoServer

        demo = DemoServer()
        demo.start()
        connection = Connection(
            url=demo.url, api_key=None, profile="demo", insecure=False, default_chatflow=None
        )
        first_run = False
    else:
        url = getattr(args, "url", None)
        try:
            connection = resolve_connection(
                config,
                profile=getattr(args, "profile", None),
                url=url,
                api_key=getattr(args, "api_key", None),
                insecure=True if getattr(args, "insecure", False) else None,
            )
        except ConfigError as exc:
            connection = Connection(
                url="http://localhost:3000",
                api_key=None,
                profile="default",
                insecure=False,
                default_chatflow=None,
            )
            startup_error = str(exc)
        first_run = not config_path().exists() and not url and not os.environ.get(URL_ENV_VAR)
    app = FlowiseApp(
        config,
        connection,
        chatflow=args.chatflow,
        connect_first=first_run and not args.chatflow,
        startup_error=startup_error,
    )
    try:
        app.run()
    finally:
        if demo is not None:
            demo.stop()
    return app.return_code or 0
