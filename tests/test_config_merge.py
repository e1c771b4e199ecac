"""Saving settings merges into the file as it is now, under a lock: two instances of the app
never drop each other's changes, and keys this version does not know survive."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from flowise_tui.config import (
    Config,
    ConfigError,
    Connection,
    KeySource,
    Profile,
    activate_profile,
    load_config,
    remember_connection,
    save_config,
    set_ui,
    update_config,
)
from flowise_tui.files import LockTimeout, exclusive_lock

KEY = "sk-typed-into-connect-0123456789"
START = 'future_setting = 42\n\n[profiles.work]\nurl = "http://work:3000"\nteam = "platform"\n'
ROOT = Path(__file__).resolve().parent.parent


def typed(profile: str, key: str | None = KEY) -> Connection:
    return Connection(
        url=f"http://{profile}:3000",
        api_key=key,
        profile=profile,
        insecure=False,
        default_chatflow=None,
        api_key_source=KeySource.TYPED,
    )


def test_a_theme_change_keeps_a_profile_another_instance_saved(tmp_path: Path) -> None:
    """The issue's example: A changes the theme after B saved a new profile with a key."""
    path = tmp_path / "config.toml"
    path.write_text(START)
    instance_a, instance_b = load_config(path), load_config(path)
    update_config(instance_b, remember_connection(typed("home")))
    update_config(instance_a, set_ui("theme", "nord"))
    on_disk = load_config(path)
    assert on_disk.ui_get("theme") == "nord"
    assert on_disk.profiles["home"].api_key == KEY and on_disk.active_profile == "home"
    assert on_disk.extra == {"future_setting": 42}
    assert on_disk.profiles["work"].extra == {"team": "platform"}
    assert "home" not in instance_a.profiles, "a save changes only what it says"


def test_saving_a_profile_keeps_its_unknown_keys_and_chatflow(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(START + 'default_chatflow = "support"\n')
    update_config(load_config(path), remember_connection(typed("work")))
    work = load_config(path).profiles["work"]
    assert (work.extra, work.default_chatflow, work.api_key) == (
        {"team": "platform"},
        "support",
        KEY,
    )


def test_the_change_applies_in_memory_even_when_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"profiles = 3\n")
    config = Config(path=path)
    with pytest.raises(ConfigError, match="Refusing to overwrite"):
        update_config(config, set_ui("theme", "nord"), activate_profile("x"))
    assert config.ui_get("theme") == "nord" and config.active_profile == "x"
    assert path.read_bytes() == b"profiles = 3\n"


def test_a_missing_file_is_created_with_only_the_change(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    config = Config(path=path, ui={"export_dir": "/only/in/memory"})
    update_config(config, set_ui("theme", "nord"))
    assert load_config(path).ui == {"theme": "nord"}
    assert sorted(os.listdir(path.parent)) == ["config.toml"], "no lock file is left behind"


def test_a_save_waits_for_the_lock_and_then_says_why_it_gave_up(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(START)
    with exclusive_lock(tmp_path / "config.toml.lock", timeout=1):
        with pytest.raises(ConfigError) as raised:
            update_config(load_config(path), set_ui("theme", "nord"), lock_timeout=0.2)
        with pytest.raises(ConfigError, match="another program kept it locked"):
            save_config(Config(path=path), lock_timeout=0.2)
    message = str(raised.value)
    assert "another program kept it locked" in message and "config.toml.lock" in message
    assert "over 0.2 seconds" in message and "left unchanged" in message
    assert path.read_text() == START
    update_config(load_config(path), set_ui("theme", "nord"), lock_timeout=0.2)
    assert load_config(path).ui_get("theme") == "nord"


def test_the_lock_lets_one_holder_in_at_a_time(tmp_path: Path) -> None:
    """Threads take the lock by separate opens, as separate processes do."""
    lock = tmp_path / "x.lock"
    inside: list[int] = []
    overlaps: list[int] = []

    def hold(n: int) -> None:
        for _ in range(50):
            with exclusive_lock(lock, timeout=30):
                inside.append(n)
                if len(inside) > 1:
                    overlaps.append(n)
                inside.remove(n)

    threads = [threading.Thread(target=hold, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [] and not lock.exists()
    with exclusive_lock(lock, timeout=0), pytest.raises(LockTimeout):
        with exclusive_lock(lock, timeout=0.05):
            pytest.fail("two holders at once")


def test_a_symlinked_config_is_locked_beside_its_target(tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "flowise.toml"
    target.parent.mkdir()
    target.write_text(START)
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(target)
    with exclusive_lock(target.parent / "flowise.toml.lock", timeout=1):
        with pytest.raises(ConfigError, match="locked"):
            update_config(load_config(link), set_ui("theme", "nord"), lock_timeout=0.1)
    update_config(load_config(link), set_ui("theme", "nord"))
    assert link.is_symlink() and load_config(target).ui_get("theme") == "nord"


# Two real processes save different changes at the same moment, many times over.
WRITER = textwrap.dedent(
    """
    import os, sys, time
    from flowise_tui.config import (
        Connection, KeySource, load_config, remember_connection, set_ui, update_config,
    )

    role, rounds, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    config = load_config()  # the path comes from FLOWISE_TUI_CONFIG
    while not os.path.exists(go):
        time.sleep(0.001)
    for n in range(rounds):
        if role == "theme":
            update_config(config, set_ui(f"setting_{n}", n), set_ui("theme", f"theme-{n}"))
        else:
            connection = Connection(
                url=f"http://host-{n}:3000", api_key=f"key-{n}", profile=f"profile-{n}",
                insecure=False, default_chatflow=None, api_key_source=KeySource.TYPED,
            )
            update_config(config, remember_connection(connection))
    """
)


def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(START)
    go = tmp_path / "go"
    rounds = 60
    env = {**os.environ, "FLOWISE_TUI_CONFIG": str(path), "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, role, str(rounds), str(go)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("theme", "profiles")
    ]
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err

    on_disk = load_config(path)
    assert {f"setting_{n}" for n in range(rounds)} <= set(on_disk.ui)
    assert on_disk.ui_get("theme") == f"theme-{rounds - 1}"
    for n in range(rounds):
        assert on_disk.profiles[f"profile-{n}"].api_key == f"key-{n}"
    assert on_disk.extra == {"future_setting": 42}
    assert on_disk.profiles["work"] == Profile(
        name="work", url="http://work:3000", extra={"team": "platform"}
    )
    assert sorted(os.listdir(tmp_path)) == ["config.toml", "go"]
