"""Fast decoding of a CRFsuite model: Viterbi and marginals over all lines of a text at once.

CRFsuite's own tagger takes the features of every token as strings and looks each
up in the model's dictionary; on case files that costs more than all the rule
recognisers together. The CRF's score of a token for a label is the sum of the
weights of its features, and the features of a token are those of its own word
plus those of its neighbours at each offset (:mod:`leerwerkplaats.privacy.pii_features`).
So each distinct word is turned into weight vectors once (its own, and as the
neighbour at each offset), a text's emission scores are sums of rows gathered
from those tables, and Viterbi and forward-backward run in numpy over the lines of
the text side by side. The labels are CRFsuite's own (``tests/test_statistical.py``
checks them against its tagger); the weights are read from the model file through
``pycrfsuite``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leerwerkplaats.privacy.pii_features import BOUNDARY, WINDOW, FeatureMaker

_FIRST = "first"


@dataclass
class Weights:
    """A CRF's labels, state weights per attribute and transition matrix ``T[from, to]``."""

    labels: list[str]
    state: dict[str, np.ndarray]
    transitions: np.ndarray

    @classmethod
    def from_tagger(cls, tagger) -> Weights:
        """Read the weights of an open ``pycrfsuite.Tagger``."""
        info = tagger.info()
        labels = list(tagger.labels())
        index = {lab: i for i, lab in enumerate(labels)}
        state: dict[str, np.ndarray] = {}
        for (attr, lab), w in info.state_features.items():
            state.setdefault(attr, np.zeros(len(labels)))[index[lab]] += w
        trans = np.zeros((len(labels), len(labels)))
        for (a, b), w in info.transitions.items():
            trans[index[a], index[b]] = w
        return cls(labels, state, trans)


class Decoder:
    """Labels and marginal probabilities for the lines of a text, from cached per-word weight rows.

    The word tables grow with every new word, in place: a new word's rows are written
    once into spare room, which doubles when it runs out, so decoding file after file
    costs time in proportion to the text, not to every word seen before. The tables are
    emptied when they hold ``max_words``.
    """

    def __init__(self, weights: Weights, max_words: int = 100_000):
        self.weights = weights
        self.labels = weights.labels
        self.n_labels = len(weights.labels)
        self.max_words = max_words
        self._features = FeatureMaker()
        self._exp_t = np.exp(weights.transitions)
        self._first = self._sum((_FIRST,))
        self._reset()

    def _reset(self) -> None:
        # (1 + len(WINDOW), capacity, labels): a word's own row, then one per neighbour offset.
        # Word 0 is the line edge, as a neighbour; its own row is unused.
        self._tables = np.zeros((1 + len(WINDOW), 1024, self.n_labels))
        for t, offset in enumerate(WINDOW, start=1):
            self._tables[t, 0] = self._near(BOUNDARY, offset)
        self._ids: dict[str, int] = {BOUNDARY: 0}

    def _sum(self, feats) -> np.ndarray:
        v = np.zeros(self.n_labels)
        state = self.weights.state
        for f in feats:
            w = state.get(f)
            if w is not None:
                v += w
        return v

    def _near(self, word: str, offset: int) -> np.ndarray:
        return self._sum(self._features._near(word, offset))

    def _id(self, word: str) -> int:
        i = self._ids.get(word)
        if i is None:
            i = len(self._ids)
            if i == self._tables.shape[1]:
                grown = np.zeros((self._tables.shape[0], 2 * i, self.n_labels))
                grown[:, :i] = self._tables
                self._tables = grown
            self._tables[0, i] = self._sum(self._features._own(word))
            for t, offset in enumerate(WINDOW, start=1):
                self._tables[t, i] = self._near(word, offset)
            self._ids[word] = i
        return i

    def emissions(self, lines: list[list[str]]) -> np.ndarray:
        """The state scores of every token of ``lines`` (in order), shape (tokens, labels)."""
        if len(self._ids) > self.max_words:
            self._reset()
        ids = [[self._id(w) for w in words] for words in lines]
        tables = self._tables
        flat = np.fromiter((i for row in ids for i in row), dtype=np.int64)
        pos = np.fromiter((k for row in ids for k in range(len(row))), dtype=np.int64)
        length = np.fromiter((len(row) for row in ids for _ in row), dtype=np.int64)
        scores = tables[0][flat]
        for t, offset in enumerate(WINDOW, start=1):
            j = pos + offset
            inside = (j >= 0) & (j < length)
            neighbour = np.where(inside, np.roll(flat, -offset), 0)
            scores += tables[t][neighbour]
        scores[pos == 0] += self._first
        return scores

    def decode(self, lines: list[list[str]]) -> tuple[list[list[str]], list[np.ndarray]]:
        """Viterbi labels and the marginal probability of each chosen label, per line.

        A line longer than ``CORE + 2 * CONTEXT`` tokens is decoded in overlapping pieces,
        each keeping the labels of its middle ``CORE`` tokens: the loop over positions
        is what costs, and a token's label does not depend on words a dozen tokens away.
        """
        if not lines:
            return [], []
        emissions = self.emissions(lines)
        lengths = [len(w) for w in lines]
        starts = np.cumsum([0] + lengths[:-1])
        rows = _rows(starts, lengths)
        rows.sort(key=lambda r: -r[1])
        start = np.array([r[0] for r in rows])
        length = np.array([r[1] for r in rows])
        counts = np.bincount(length)
        n_at = len(rows) - np.cumsum(counts)[:-1]  # n_at[k]: rows longer than k
        off = np.concatenate([[0], np.cumsum(n_at)])
        perm = np.concatenate([start[:n] + k for k, n in enumerate(n_at)])
        em = emissions[perm]  # step-major: block k holds position k of every row longer than k
        best = self._viterbi(em, n_at, off)
        prob = self._marginals(em, n_at, off, best)
        labels = np.empty(len(emissions), dtype=np.int64)
        probs = np.empty(len(emissions))
        for r, (first, _, core_from, core_to) in enumerate(rows):
            src = off[core_from:core_to] + r
            labels[first + core_from:first + core_to] = best[src]
            probs[first + core_from:first + core_to] = prob[src]
        names = self.labels
        return ([[names[y] for y in labels[s:s + n]] for s, n in zip(starts, lengths)],
                [probs[s:s + n] for s, n in zip(starts, lengths)])

    def _viterbi(self, em: np.ndarray, n_at: np.ndarray, off: np.ndarray) -> np.ndarray:
        trans = self.weights.transitions
        steps = len(n_at)
        delta = em[:n_at[0]].copy()
        final = np.empty((n_at[0], em.shape[1]))
        back = []
        for k in range(1, steps):
            n = n_at[k]
            final[n:n_at[k - 1]] = delta[n:]  # rows whose last position was k - 1
            s = delta[:n, :, None] + trans
            back.append(s.argmax(axis=1))
            delta = s.max(axis=1) + em[off[k]:off[k] + n]
        final[:n_at[-1]] = delta
        best = np.empty(len(em), dtype=np.int64)
        y = np.empty(n_at[0], dtype=np.int64)
        ar = np.arange(n_at[0])
        for k in range(steps - 1, -1, -1):
            n = n_at[k]
            n_next = n_at[k + 1] if k + 1 < steps else 0
            y[n_next:n] = final[n_next:n].argmax(axis=1)
            best[off[k]:off[k] + n] = y[:n]
            if k:
                y[:n] = back[k - 1][ar[:n], y[:n]]
        return best

    def _marginals(self, em: np.ndarray, n_at: np.ndarray, off: np.ndarray, best: np.ndarray) -> np.ndarray:
        """P(label at t = the Viterbi label | row), by scaled forward-backward."""
        exp_t = self._exp_t
        steps = len(n_at)
        expo = np.exp(em - em.max(axis=1, keepdims=True))
        alpha = np.empty_like(em)
        a = expo[:n_at[0]] / expo[:n_at[0]].sum(axis=1, keepdims=True)
        alpha[:n_at[0]] = a
        for k in range(1, steps):
            n = n_at[k]
            a = (a[:n] @ exp_t) * expo[off[k]:off[k] + n]
            a /= a.sum(axis=1, keepdims=True)
            alpha[off[k]:off[k] + n] = a
        prob = np.empty(len(em))
        beta = np.ones((n_at[0], em.shape[1]))
        ar = np.arange(n_at[0])
        for k in range(steps - 1, -1, -1):
            n = n_at[k]
            n_next = n_at[k + 1] if k + 1 < steps else 0
            beta[n_next:n] = 1.0
            block = slice(off[k], off[k] + n)
            m = alpha[block] * beta[:n]
            prob[block] = m[ar[:n], best[block]] / m.sum(axis=1)
            if k:
                b = (expo[block] * beta[:n]) @ exp_t.T
                beta[:n] = b / b.sum(axis=1, keepdims=True)
        return prob


#: Decoding pieces: the tokens whose labels a piece keeps, and the context either side.
CORE = 16
CONTEXT = 8


def _rows(starts, lengths) -> list[tuple[int, int, int, int]]:
    """``(first token, length, core from, core to)`` of each piece to decode (core relative to the piece)."""
    out = []
    for a, n in zip(starts, lengths):
        if n <= CORE + 2 * CONTEXT:
            out.append((int(a), n, 0, n))
            continue
        for c in range(0, n, CORE):
            lo, hi = max(0, c - CONTEXT), min(n, c + CORE + CONTEXT)
            out.append((int(a) + lo, hi - lo, c - lo, min(c + CORE, n) - lo))
    return out
