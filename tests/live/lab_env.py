"""Print the environment that points the live suite at ../shared/flowise-lab.

eval "$(python tests/live/lab_env.py)" && python -m pytest tests/live -p no:logging
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path


def main() -> None:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    data = Path(os.environ.get("FLOWISE_LAB", cache / "flowise-lab")) / "data"
    key = json.loads((data / "lab_api_key.json").read_text())
    flows = json.loads((data / "lab_flows.json").read_text())
    port = os.environ.get("FLOWISE_PORT", "3000")
    values = {
        "FLOWISE_URL": f"http://127.0.0.1:{port}",
        "FLOWISE_API_KEY": key["apiKey"],
        "FLOWISE_LIVE_FLOW_KEY": flows["_flow_key"]["apiKey"],
    }
    for name, value in values.items():
        print(f"export {name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
