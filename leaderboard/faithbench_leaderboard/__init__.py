"""The static leaderboard site: results files in, a folder of HTML/CSS/JS out (``build.py``), with
its page shell, stylesheet and script beside it."""

from faithbench_leaderboard.build import build, site_data, write_site

__all__ = ["build", "site_data", "write_site"]
