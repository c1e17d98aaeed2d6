import os
import subprocess
import sys

import pytest

from kjtui import yamlcache


def test_data_comes_back_the_same_from_the_cache(tmp_path):
    path = tmp_path / "theme.yaml"
    path.write_text("name: 墨\nprimary: '#112233'\nvariables: {a: 1}\n", encoding="utf-8")
    first = yamlcache.load(path)
    assert first == {"name": "墨", "primary": "#112233", "variables": {"a": 1}}
    assert yamlcache.cache_path().exists()
    assert yamlcache.load(path) == first


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: a\n", encoding="utf-8")
    assert yamlcache.load(path) == {"theme": "a"}
    path.write_text("theme: bb\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert yamlcache.load(path) == {"theme": "bb"}


def test_a_start_with_nothing_changed_does_not_import_yaml(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: a\n", encoding="utf-8")
    yamlcache.load(path)
    probe = "import sys; from kjtui import yamlcache; from pathlib import Path; " \
            f"print(yamlcache.load(Path({str(path)!r})), 'yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={**os.environ}).stdout
    assert out.strip() == "{'theme': 'a'} False"


def test_bad_yaml_names_its_line_and_is_not_cached(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [unclosed\n", encoding="utf-8")
    with pytest.raises(yamlcache.YamlProblem) as problem:
        yamlcache.load(path)
    assert problem.value.line is not None and "line" in str(problem.value)
    assert str(path.resolve()) not in (yamlcache._read_cache(yamlcache.cache_path()))


def test_data_json_cannot_hold_is_returned_but_not_cached(tmp_path):
    path = tmp_path / "dated.yaml"
    path.write_text("when: 2024-05-22\n", encoding="utf-8")
    assert str(yamlcache.load(path)["when"]) == "2024-05-22"
    assert str(path.resolve()) not in yamlcache._read_cache(yamlcache.cache_path())


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path):
    yamlcache.cache_path().write_text("{nope", encoding="utf-8")
    path = tmp_path / "c.yaml"
    path.write_text("x: 1\n", encoding="utf-8")
    assert yamlcache.load(path) == {"x": 1}
    assert str(path.resolve()) in yamlcache._read_cache(yamlcache.cache_path())


def test_user_dirs_follow_xdg_on_linux(monkeypatch, tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the XDG rule is Linux's")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert yamlcache.user_dir("config") == tmp_path / "cfg" / "kjtui"
    assert yamlcache.user_dir("cache") == tmp_path / "home" / ".cache" / "kjtui"
    import platformdirs

    assert str(yamlcache.user_dir("config")) == platformdirs.user_config_dir("kjtui", appauthor=False)
