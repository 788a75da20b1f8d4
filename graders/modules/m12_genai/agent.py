"""tool_loop: a function-calling agent loop with JSON tool calls, pydantic validation and a step cap.

The learner's loop gets a scripted fake LLM and tools whose arguments are pydantic models (sandbox_agents);
the reference loop below runs on identical fakes here. The transcript (messages), the answer and the
number of steps must match; what the LLM saw at each call, and what the tools received, name the slips.
"""
from __future__ import annotations

import json

from graders.engine.compare import describe
from graders.engine.spec import Case, Check, Exercise

from . import sandbox_agents as agents
from .common import error_failure, incorrect
from .sandbox_loops import agent_probe

EX = "tool_loop"


def tool_loop_ref(llm, tools, user_message, max_steps=5):
    messages = [{"role": "user", "content": user_message}]
    for step in range(1, max_steps + 1):
        reply = llm(messages)
        messages.append({"role": "assistant", "content": reply})
        if not reply.strip().startswith("{"):
            return {"answer": reply, "steps": step, "messages": messages}
        try:
            call = json.loads(reply)
            name = call["tool"]
            fn, args_model = tools[name]
            args = args_model.model_validate(call.get("arguments", {}))
            result = fn(**args.model_dump())
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the model
            messages.append({"role": "tool", "content": f"error: {type(exc).__name__}: {exc}"})
            continue
        messages.append({"role": "tool", "name": name, "content": json.dumps(result)})
    return {"answer": None, "steps": max_steps, "messages": messages}


def run_ref(script, names, message, max_steps):
    agents.reset()
    llm = agents.ScriptedAgentLLM(script)
    result = tool_loop_ref(llm, agents.tools_for(names), message, *(() if max_steps is None else (max_steps,)))
    snapshots = [c[1] for c in agents.CALLS if c[0] == "agent"]
    agents.reset()
    return result, snapshots


NAMED = ("no-step-cap", "crash-on-malformed-json", "crash-on-validation-error", "tool-error-crashes",
         "arguments-not-validated", "tool-result-not-appended", "malformed-json-as-answer")


def _message_problem(i, got, want):
    if not isinstance(got, dict):
        return f"message {i} is {describe(got)}, not a dict"
    if got.get("role") != want["role"]:
        return f"message {i} has role {got.get('role')!r} where a {want['role']!r} message belongs"
    content = got.get("content")
    if want["role"] != "tool":
        if content == want["content"] or (isinstance(content, str) and content.strip() == want["content"].strip()):
            return None
        return f"the content of message {i} ({want['role']}) differs: keep the text as it came"
    if want["content"].startswith("error"):
        if isinstance(content, str) and content.lower().startswith("error"):
            return None
        return f"message {i} must report the failure, with content starting with 'error'"
    if got.get("name") != want["name"]:
        return f"tool message {i} must carry the tool's name as 'name'"
    try:
        if json.loads(content) == json.loads(want["content"]):
            return None
    except (TypeError, ValueError):
        pass
    return f"tool message {i} must hold json.dumps(result) of the tool's result"


def _transcript_problem(got, want, capped):
    if not isinstance(got, (list, tuple)):
        return f"'messages' must be the list of messages, got {describe(got)}"
    got = list(got)
    if capped and len(got) == len(want) - 1 and want[-1]["role"] == "tool":
        want = want[:-1]             # the last step's tool call may go unexecuted when the cap ends the loop
    for i, (g, w) in enumerate(zip(got, want)):
        problem = _message_problem(i, g, w)
        if problem:
            return problem
    if len(got) != len(want):
        return f"you returned {len(got)} messages where the conversation has {len(want)}"
    return None


def _error_failure(case, err):
    kind, text = err.get("type", ""), err.get("message", "")
    if kind == "Runaway":
        return incorrect(case, "your loop kept calling the LLM: stop after max_steps calls and return answer None.",
                         "no-step-cap")
    if kind == "JSONDecodeError":
        return incorrect(case, f"your loop crashed on a reply that is not valid JSON ({text[:120]}): catch the error "
                         "and append {'role': 'tool', 'content': 'error: ...'} for the model to read.",
                         "crash-on-malformed-json")
    if kind == "ValidationError":
        return incorrect(case, "your loop crashed on arguments that fail validation: append the error as a tool "
                         "message and go on.", "crash-on-validation-error")
    if kind in ("KeyError", "ZeroDivisionError", "TypeError"):
        return incorrect(case, f"your loop crashed ({kind}: {text[:100]}) on an unknown tool, a missing 'tool' key or "
                         "a tool that raised: catch it and append {'role': 'tool', 'content': 'error: ...'}.",
                         "tool-error-crashes")
    return error_failure(case, err)


def _judge(cases, observations):
    for case, obs in zip(cases, observations):
        script, names, message, max_steps = case.args
        if "error" in obs:
            return _error_failure(case, obs["error"])
        tools = [c for c in obs["calls"] if c[0] == "tool"]
        if any(not ok for *_, ok in tools):
            return incorrect(case, "a tool received arguments that were not validated (e.g. the string '40' for "
                                   "an int): "
                             "validate with the tool's pydantic model (model_validate, lax mode coerces) and call "
                             "fn(**validated.model_dump()).", "arguments-not-validated")
        expected, snapshots = run_ref(script, names, message, max_steps)
        value = obs["value"]
        if not isinstance(value, dict) or not {"answer", "steps", "messages"} <= set(value):
            return incorrect(case, f"expected a dict with keys 'answer', 'steps' and 'messages', got "
                                   f"{describe(value)}.")
        seen = [c[1] for c in obs["calls"] if c[0] == "agent"]
        for i, (got, want) in enumerate(zip(seen, snapshots)):
            last = got[-1] if isinstance(got, (list, tuple)) and got else None
            if want and want[-1].get("role") == "tool" and not (isinstance(last, dict) and last.get("role") == "tool"):
                return incorrect(case, f"at LLM call {i + 1} the last message was not the tool result: append "
                                 "{'role': 'tool', ...} before calling the LLM again.", "tool-result-not-appended")
        capped = expected["answer"] is None
        if value["answer"] != expected["answer"]:
            malformed = [s for s in script if isinstance(s, str) and s.strip().startswith("{")]
            if value["answer"] in malformed:
                return incorrect(case, "you returned a reply that starts with '{' (a tool call, here malformed JSON) "
                                 "as the final answer: report the parse error to the model and go on.",
                                 "malformed-json-as-answer")
            if capped:
                return incorrect(case, f"after max_steps LLM calls without a final answer, return answer None; you "
                                 f"returned {describe(value['answer'])}.", "no-step-cap")
            return incorrect(case, "the answer must be the first reply that is not a tool call, unchanged.")
        if value["steps"] != expected["steps"] or isinstance(value["steps"], bool):
            return incorrect(case, f"steps must count the LLM calls; yours is {describe(value['steps'])}.")
        problem = _transcript_problem(value["messages"], expected["messages"], capped)
        if problem:
            return incorrect(case, problem + ".")
    return None


CALL = '{{"tool": "{}", "arguments": {}}}'


def _case(script, names, message, max_steps=None, label=""):
    shown = "" if max_steps is None else f", max_steps={max_steps}"
    return Case((script, list(names), message, max_steps), {}, f"{message!r}, tools {sorted(names)}{shown}: {label}")


def _check(title, points, cases, timeout=10.0):
    return Check(title, points, cases, _judge, probe=agent_probe, timeout=timeout,
                 probe_args=lambda t, cs: (t, [c.args for c in cs]))


ADD = CALL.format("add", '{"a": 2, "b": 3}')
EXAMPLE = [_case([ADD, ("echo", "The sum is ")], ["add"], "What is 2 + 3?", label="one tool call, then the answer "
                 "(the notebook's example)")]
CALLS = [
    _case([CALL.format("weather", '{"city": "Oslo"}'), ("echo", "Here you go: ")], ["weather", "add"],
          "Weather in Oslo?", label="a default argument"),
    _case(["\n  " + CALL.format("add", '{"a": "40", "b": 2.0}'), ("echo", "It is ")], ["add"], "40 + 2?",
          label="arguments coerced by pydantic's lax mode ('40' -> 40), a reply with leading whitespace"),
    _case([CALL.format("lookup", '{"topic": "with", "limit": "3"}'), CALL.format("add", '{"a": 1, "b": 1}'),
           ("echo", "Two calls, last result ")], ["lookup", "add"], "Notes on with?", label="two tool calls in a row"),
    _case(["Hello! No tools needed."], ["add"], "Hi", label="an answer without any tool call"),
]
ERRORS = [
    _case(['{"tool": "add", "arguments": {"a": 1, "b": 2}', ("after_error", "Sorry, my call was malformed.")],
          ["add"], "1 + 2?", label="malformed JSON"),
    _case([CALL.replace('"tool"', '"name"').format("add", '{"a": 1, "b": 2}'), ("after_error", "I forgot the key.")],
          ["add"], "1 + 2?", label="no 'tool' key"),
    _case([CALL.format("multiply", '{"a": 2, "b": 3}'), ("after_error", "No such tool, then.")], ["add"], "2 * 3?",
          label="an unknown tool"),
    _case([CALL.format("add", '{"a": "three", "b": 2}'), ("after_error", "Bad arguments.")], ["add"], "three + 2?",
          label="arguments that fail validation"),
    _case([CALL.format("divide", '{"x": 1, "y": 0}'), ("after_error", "Cannot divide by zero."),
           ], ["divide"], "1 / 0?", label="a tool that raises"),
    _case(['{"tool": "add"', CALL.format("divide", '{"x": 1, "y": 0}'), CALL.format("divide", '{"x": "9", "y": 4}'),
           ("echo", "Finally: ")], ["divide", "add"], "9 / 4?", max_steps=4, label="two failures, then a success"),
]
REPEAT = ("repeat", CALL.format("add", '{"a": 1, "b": 1}'))
CAP = [
    _case([REPEAT], ["add"], "Loop forever?", max_steps=3, label="the model never stops calling tools"),
    _case([REPEAT], ["add"], "Loop forever?", label="the model never stops calling tools (default max_steps)"),
    _case([CALL.format("add", '{"a": 1, "b": 2}'), CALL.format("add", '{"a": 3, "b": 4}'), "Done."], ["add"],
          "Add twice", max_steps=3, label="the answer comes at the last allowed step"),
    _case(["Just this."], ["add"], "Quick?", max_steps=1, label="max_steps=1 and a direct answer"),
]

tool_loop = Exercise(
    EX,
    skill="agents",
    hints=(
        ("An agent loop alternates model calls and tool calls: the model either answers or asks for a tool by "
        "name with JSON arguments; the code validates and runs the tool, appends the result (or the error) to "
        "the conversation and calls the model again, never more than max_steps times."),
        ("for step in 1..max_steps: reply = llm(messages); append the assistant message; if not "
        "reply.strip().startswith('{'): return it; else try: json.loads, tools[call['tool']], "
        "Args.model_validate(call['arguments']), fn(**args.model_dump()); except Exception: append an error "
        "tool message; else append the result."),
        ("`except Exception as exc: messages.append({\"role\": \"tool\", \"content\": f\"error: {exc}\"}); continue` "
        "and `messages.append({\"role\": \"tool\", \"name\": name, \"content\": json.dumps(result)})`; after the "
        "loop `return {\"answer\": None, \"steps\": max_steps, \"messages\": messages}`"),
    ),
    checks=(
        _check("the example in the notebook", 1, EXAMPLE),
        _check("tool calls validated (lax mode) and run; results appended before the next call", 3, CALLS),
        _check("errors go back to the model: malformed JSON, unknown tool, invalid arguments, a raising tool", 3,
               ERRORS),
        _check("a hard step cap: max_steps LLM calls, then answer None", 3, CAP),
    ),
)
