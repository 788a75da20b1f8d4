from pydantic import ValidationError


def tool_loop(llm, tools, user_message, max_steps=5):
    history = [dict(role="user", content=user_message)]
    calls = 0
    while calls < max_steps:
        text = llm(list(history))
        calls += 1
        history.append(dict(role="assistant", content=text))
        if text.lstrip()[:1] != "{":
            return dict(answer=text, steps=calls, messages=history)
        if calls == max_steps:
            break                                        # the cap: this last call is not executed
        try:
            request = json.loads(text)
        except json.JSONDecodeError as err:
            history.append(dict(role="tool", content=f"Error: invalid JSON ({err})"))
            continue
        if not isinstance(request, dict) or request.get("tool") not in tools:
            history.append(dict(role="tool", content="Error: unknown or missing tool"))
            continue
        fn, schema = tools[request["tool"]]
        try:
            output = fn(**schema(**request.get("arguments", {})).model_dump())
        except ValidationError as err:
            history.append(dict(role="tool", content=f"Error: bad arguments: {err}"))
            continue
        except Exception as err:
            history.append(dict(role="tool", content=f"Error: the tool failed: {err!r}"))
            continue
        history.append(dict(role="tool", name=request["tool"], content=json.dumps(output, indent=1),
                            tool_call_id=calls))
    return dict(answer=None, steps=calls, messages=history)
