# mistake: arguments-not-validated
# expect: not validated
def tool_loop(llm, tools, user_message, max_steps=5):
    """A function-calling agent loop: {"answer": str | None, "steps": int, "messages": list}."""
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
            result = fn(**call.get("arguments", {}))
        except Exception as exc:               # bad JSON, unknown tool, invalid arguments, a failing tool
            messages.append({"role": "tool", "content": f"error: {type(exc).__name__}: {exc}"})
            continue
        messages.append({"role": "tool", "name": name, "content": json.dumps(result)})
    return {"answer": None, "steps": max_steps, "messages": messages}
