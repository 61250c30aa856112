"""Model files are compressed and reproducible: same classifier and seed, same bytes."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import skops.io as sio
from sklearn.linear_model import LogisticRegression

from leerwerkplaats.tagging.modelfile import canonical_skops


def _fitted(seed: int) -> LogisticRegression:
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(40, 5)), np.arange(40) % 2
    return LogisticRegression(random_state=seed).fit(X, y)


def test_raw_skops_bytes_differ_but_canonical_bytes_do_not():
    first, second = _fitted(0), _fitted(0)  # both alive, so their ids differ
    a, b = sio.dumps(first), sio.dumps(second)
    assert a != b  # object ids and zip times: why canonical_skops exists
    assert canonical_skops(a) == canonical_skops(b)


def test_canonical_archive_is_deflated_with_fixed_times_and_loads():
    data = canonical_skops(sio.dumps(_fitted(1)))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    model = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    assert np.allclose(model.coef_, _fitted(1).coef_)
