"""Guards on the project's shape that ape itself does not report clearly."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APE_SOURCE_LISTING_LIMIT = 500  # ape.utils.os.get_all_files_in_directory(contracts, max_files=500)


def test_contracts_folder__file_count__below_ape_listing_limit():
    # Past the limit ape silently drops sources and contracts vanish from `project` (see tools/install.sh).
    files = [p for p in (ROOT / "contracts").rglob("*.*") if p.is_file()]
    assert len(files) < APE_SOURCE_LISTING_LIMIT - 50, (
        f"{len(files)} files under contracts/ (dependency cache included): ape lists only {APE_SOURCE_LISTING_LIMIT}"
    )
