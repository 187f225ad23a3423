"""Downloads of the app under streamlit.testing: AppTest makes a media file manager for each run and drops it, so
the `media` fixture (tests/conftest.py) keeps them and `download` fetches a download button's file from the last."""

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest


def download(at: AppTest, media: list[MediaFileManager], key: str) -> bytes:
    """The file a download button gives when clicked (its data is made on the click)."""
    button = next(b for b in at.get("download_button") if b.key == key)
    deferred = button.proto.deferred_file_id
    url = media[-1].execute_deferred(deferred) if deferred else button.proto.url
    return media[-1]._storage.get_file(url.rsplit("/", 1)[1]).content
