"""12_genai graders: reference, stub, banks, trivial answers, and the oracles vouching for the references."""
from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
import torch
from banks import ModuleGraderSuite, bank, solution_notebook, submission

from graders.engine.registry import load

MODULE = "12_genai"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {
    # every "catch" of the syllabus, by the id the grader names it with; each must be in the mistake bank
    "filtered_probs": {"temperature-after-softmax", "top-p-drops-crossing-token", "top-p-before-top-k",
                       "top-p-before-temperature", "temperature-zero", "not-renormalised", "top-k-larger-than-vocab",
                       "global-rng"},
    "CausalSelfAttention": {"is-causal-with-cache", "no-mask-with-cache", "heads-transposed", "cache-wrong-axis",
                            "no-scaling"},
    "generate": {"recomputes-sequence", "sequence-with-cache", "first-position-logits", "eos-ignored",
                 "max-new-tokens-off-by-one", "prompt-returned"},
    "LoRALinear": {"scaled-by-alpha", "nonzero-init", "never-trains", "base-trainable", "merged-counted-twice",
                   "merge-twice", "unmerge-not-restoring"},
    "accumulate_step": {"divided-by-micro-batch-count", "unscaled-sum", "zero-grad-in-loop", "step-per-micro-batch",
                        "stale-gradients"},
    "bf16_train_step": {"model-to-bf16", "autocast-cuda", "loss-as-tensor", "step-skipped"},
    "training_memory_bytes": {"frozen-counted", "adam-one-state", "master-copy-missing", "master-copy-for-frozen",
                              "bits-not-bytes", "kv-factor-2-missing"},
    "chunk_text": {"ascending-scores", "overlap-ignored", "tail-inside-previous", "empty-text-blank-chunk",
                   "overlap-loops-forever"},
    "rag_answer": {"budget-exceeded", "llm-without-context", "zero-based-markers", "hallucinated-markers-kept",
                   "positions-not-ids", "duplicate-citations"},
    "tool_loop": {"crash-on-malformed-json", "malformed-json-as-answer", "arguments-not-validated",
                  "tool-error-crashes", "no-step-cap", "tool-result-not-appended"},
}


def declared_mistakes() -> dict[str, set[str]]:
    from graders.modules.m12_genai import (
        accumulation,
        agent,
        attention,
        generation,
        lora,
        memory,
        mixed_precision,
        rag,
        retrieval,
        sampling,
    )

    files = {"filtered_probs": sampling, "CausalSelfAttention": attention, "generate": generation, "LoRALinear": lora,
             "accumulate_step": accumulation, "bf16_train_step": mixed_precision, "training_memory_bytes": memory,
             "chunk_text": retrieval, "rag_answer": rag, "tool_loop": agent}
    return {ex: set(f.NAMED) for ex, f in files.items()}


@pytest.mark.parametrize("exercise", sorted(SYLLABUS_CATCHES))
def test_every_listed_and_declared_mistake_is_in_the_bank(exercise):
    named = {e.mistake for e in bank(MODULE, "mistakes") if e.exercise == exercise}
    assert SYLLABUS_CATCHES[exercise] <= declared_mistakes()[exercise], "a catch the grader does not declare"
    assert declared_mistakes()[exercise] <= named, declared_mistakes()[exercise] - named


def test_every_named_mistake_in_the_code_is_declared():
    """Every literal mistake id a judge of the module can give is in its exercise's NAMED list."""
    import pathlib
    import re

    from graders.modules import m12_genai

    declared = set().union(*declared_mistakes().values())
    folder = pathlib.Path(m12_genai.__file__).parent
    for path in folder.glob("*.py"):
        for found in re.findall(r'incorrect\([^;]*?, "([a-z0-9]+(?:-[a-z0-9]+)+)"\)', path.read_text(), re.DOTALL):
            assert found in declared, (path.name, found)


# ------------------------------------------------------------------ signatures
def _reference_namespace():
    ns: dict = {}
    for cell in solution_notebook(MODULE).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or "setup" in cell.metadata.get("tags", [])):
            exec(cell.source, ns)  # noqa: S102 - the reference notebook, to read its signatures
    return ns


def test_every_syllabus_name_has_its_signature():
    ns = _reference_namespace()
    wanted = {
        "filtered_probs": "(logits, temperature=1.0, top_k=None, top_p=None)",
        "sample": "(logits, temperature=1.0, top_k=None, top_p=None, rng=None)",
        "CausalSelfAttention": "(d_model, n_heads)", "generate": "(model, prompt_ids, max_new_tokens, eos_id=None)",
        "LoRALinear": "(base, r=8, alpha=16)",
        "accumulate_step": "(model, loss_fn, optimizer, X, y, micro_batch_size)",
        "bf16_train_step": "(model, loss_fn, optimizer, x, y)",
        "training_memory_bytes": "(n_params, n_trainable=None, param_dtype='float32', optimizer='adamw', "
                                 "mixed_precision=False)",
        "kv_cache_bytes": "(n_layers, n_kv_heads, head_dim, seq_len, batch_size, dtype='bfloat16')",
        "chunk_text": "(text, chunk_size, overlap)", "Retriever": "(chunks)",
        "rag_answer": "(question, retrieve, llm, max_context_chars=2000)",
        "tool_loop": "(llm, tools, user_message, max_steps=5)",
    }
    for name, signature in wanted.items():
        assert str(inspect.signature(ns[name])) == signature, name
    assert str(inspect.signature(ns["CausalSelfAttention"].forward)) == "(self, x, cache=None)"
    assert str(inspect.signature(ns["Retriever"].search)) == "(self, query, k=5)"


# ------------------------------------------------------------------ trivial answers score nothing
def _trivial_cell(source: str, body: str) -> str:
    """Every function and method of an answer cell replaced by ``body`` (signatures kept)."""
    tree = ast.parse(source)
    stub = ast.parse(body).body
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.body = stub if node.name != "__init__" else ast.parse("pass").body
    return ast.unparse(tree)


TRIVIAL = {
    "None (an answer that only prints)": "print('working on it')",
    "the first argument": "return locals()[next(iter(locals()))] if locals() else None",
    "zero": "return 0",
    "an empty list": "return []",
    "zeros of a plausible shape": "import numpy as _np\nreturn _np.zeros(3)",
    "an empty dict": "return {'answer': None, 'steps': 0, 'messages': [], 'citations': []}",
    "self": "return self if 'self' in dir() else None",
}


@pytest.mark.parametrize("what", sorted(TRIVIAL))
def test_trivial_answers_score_zero_on_every_exercise(grader, what):
    answers = {}
    for cell in solution_notebook(MODULE).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            answers[meta["grade_id"]] = _trivial_cell(cell.source, TRIVIAL[what])
    result = grader.grade(submission(MODULE, answers))
    assert result.error is None, result.error
    scored = {ex.id: ex.points for ex in result.exercises if ex.points > 0}
    assert not scored, f"{what}: {scored}"


# ------------------------------------------------------------------ the oracles vouch for the references
def _cases(exercise):
    return [c for check in SPEC.exercise(exercise).checks for c in check.materialize()]


def test_memory_formula_equals_what_torch_allocates():
    from graders.modules.m12_genai.memory import formula, torch_bytes

    hidden = [c for c in _cases("training_memory_bytes") if "kv" not in c.label and c.args and c.args[0] <= 3_000_000]
    assert len(hidden) >= 8
    for case in hidden:
        kwargs = dict(zip(("n_trainable", "param_dtype", "optimizer", "mixed_precision"), case.args[1:]),
                      **case.kwargs)
        if kwargs.pop("mixed_precision", False):
            continue
        assert formula(case.args[0], **kwargs) == torch_bytes(case.args[0], **kwargs), case.label
    for dtype in ("float32", "bfloat16"):
        for opt in ("sgd", "sgd_momentum", "adam", "adamw"):
            assert formula(1234, 100, dtype, opt) == torch_bytes(1234, 100, dtype, opt), (dtype, opt)


def test_filtered_probs_reference_equals_a_torch_transformers_style_warper():
    """The HF-style recipe (temperature, top-k mask, softmax, sort ascending, drop cumsum <= 1 - top_p)."""
    from graders.modules.m12_genai.sampling import filtered_probs_ref

    def warper(logits, temperature=1.0, top_k=None, top_p=None):
        z = torch.tensor(np.asarray(logits, dtype=np.float64))
        if temperature == 0:
            return torch.nn.functional.one_hot(z.argmax(), z.numel()).double().numpy()
        z = z / temperature
        if top_k:
            z = z.masked_fill(z < torch.topk(z, min(top_k, z.numel())).values[-1], float("-inf"))
        if top_p is not None and top_p < 1:
            sorted_z, idx = torch.sort(z, descending=False)
            cum = sorted_z.softmax(-1).cumsum(-1)
            remove = cum <= 1 - top_p
            z = z.masked_fill(remove.scatter(0, idx, remove), float("-inf"))
        return z.softmax(-1).numpy()

    cases = [c for c in _cases("filtered_probs") if len(c.args) == 1]
    assert len(cases) >= 20
    for case in cases:
        assert np.allclose(filtered_probs_ref(*case.args, **case.kwargs), warper(*case.args, **case.kwargs),
                           atol=1e-12), case.label


def test_chi_square_accepts_the_right_sampler_and_rejects_a_wrong_one():
    from graders.modules.m12_genai.sampling import chi_square_p

    probs = np.array([0.5, 0.3, 0.15, 0.04, 0.01, 0.0])
    rng = np.random.default_rng(3)
    good = np.bincount(rng.choice(6, 20_000, p=probs), minlength=6)
    wrong = np.bincount(rng.choice(6, 20_000, p=[0.45, 0.33, 0.16, 0.05, 0.01, 0.0]), minlength=6)
    assert chi_square_p(good, probs) > 1e-4
    assert chi_square_p(wrong, probs) < 1e-4


def test_the_chi_square_check_draws_enough_to_see_every_dropped_setting():
    """The draw count only buys power (a right sampler fails with probability 1e-4 at any count), so it is
    cut to what the slips need: each dropped or inverted setting must be missed with probability under 1e-9,
    by a draw outside the support or by the test itself (non-central chi-square over the support)."""
    from scipy import stats

    from graders.modules.m12_genai.sampling import _stat_cases, filtered_probs_ref

    weakest = 0.0
    for case in _stat_cases():
        z, kwargs, _, n, _ = case.args
        probs = filtered_probs_ref(z, **kwargs)
        support = probs > 0
        slips = [{**kwargs, "temperature": 1.0}, {k: v for k, v in kwargs.items() if k != "top_k"},
                 {k: v for k, v in kwargs.items() if k != "top_p"}]
        if kwargs.get("temperature"):
            slips.append({**kwargs, "temperature": 1 / kwargs["temperature"]})
        for slip in slips:
            wrong = filtered_probs_ref(z, **slip)
            if np.allclose(wrong, probs):
                continue
            outside = wrong[~support].sum()
            if outside > 0:
                miss = (1 - outside) ** n
            else:
                df = int(support.sum()) - 1
                shift = n * (((wrong - probs)[support]) ** 2 / probs[support]).sum()
                miss = stats.ncx2.cdf(stats.chi2.isf(1e-4, df), df, shift)
            assert miss < 1e-9, (case.label, slip, miss)
            weakest = max(weakest, miss)
    assert weakest > 0        # the bound was tested on a slip that keeps the support, not only on easy ones


def test_attention_reference_equals_sdpa_and_its_cache_schedules_agree():
    import torch.nn.functional as F

    from graders.modules.m12_genai.attention import run_schedule

    for case in _cases("CausalSelfAttention"):
        d, H, state, x, schedules = case.args
        B, T, _ = x.shape
        full, (k, v) = run_schedule(state, x, H, [T])
        q = (x.double() @ state["qkv.weight"].double().T + state["qkv.bias"].double())[..., :d]
        q = q.view(B, T, H, d // H).transpose(1, 2)
        att = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(B, T, d)
        ref = att @ state["proj.weight"].double().T + state["proj.bias"].double()
        assert torch.allclose(full, ref, atol=1e-10), case.label
        for schedule in schedules:
            assert torch.allclose(run_schedule(state, x, H, schedule)[0], full, atol=1e-10), case.label


def test_generate_cases_keep_greedy_steps_away_from_ties():
    from graders.modules.m12_genai.generation import MARGIN, _decode

    for case in _cases("generate"):
        lm, prompt, max_new, eos = case.args
        tokens, margin = _decode(lm, prompt, max_new, eos)
        assert margin > MARGIN and len(tokens) >= 1, case.label
        if eos is not None:
            assert tokens[-1] == eos and eos not in tokens[:-1], case.label


def test_retrieval_data_and_the_reference_retriever():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from graders.modules.m12_genai.retrieval import retrieval_data

    chunks, queries, relevant = retrieval_data()
    assert 1000 <= len(chunks) <= 1300 and len(queries) == 150
    assert all(rel and all(set(q.split()) <= set(chunks[j].split()) for j in rel) for q, rel in zip(queries, relevant))
    vec = TfidfVectorizer(sublinear_tf=True)
    X = vec.fit_transform(chunks)
    found = [bool(rel & set(np.argsort(-(X @ vec.transform([q]).T).toarray().ravel())[:5]))
             for q, rel in zip(queries, relevant)]
    assert np.mean(found) >= 0.9


def test_agent_reference_gives_every_scenario_its_intended_ending():
    from graders.modules.m12_genai.agent import run_ref

    for case in _cases("tool_loop"):
        result, snapshots = run_ref(*case.args)
        assert len(snapshots) == result["steps"]
        assert "I never saw" not in str(result["answer"]) and "I expected" not in str(result["answer"]), case.label
        if "never stops" in case.label:
            assert result["answer"] is None


def test_sandbox_files_import_nothing_from_the_grading_side():
    import pathlib

    from graders.modules import m12_genai

    folder = pathlib.Path(m12_genai.__file__).parent
    sandbox_side = {"helpers", "sandbox_models", "sandbox_loops", "sandbox_agents"}
    for name in sandbox_side:
        tree = ast.parse((folder / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                assert {a.name for a in node.names} <= sandbox_side, (name, ast.dump(node))
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mod = getattr(node, "module", None) or ""
                # the engine's sandbox package is sandbox-side too (probes.shares_child); nothing else of ours
                assert not mod.startswith("graders") or mod.startswith("graders.engine.sandbox."), (name, mod)
