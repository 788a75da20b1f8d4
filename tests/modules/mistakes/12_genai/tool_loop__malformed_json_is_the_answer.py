# mistake: malformed-json-as-answer
# expect: as the final answer
def tool_loop(llm, tools, user_message, max_steps=5):
    messages = [{"role": "user", "content": user_message}]
    for step in range(1, max_steps + 1):
        reply = llm(messages)
        messages.append({"role": "assistant", "content": reply})
        try:
            call = json.loads(reply)
        except json.JSONDecodeError:
            return {"answer": reply, "steps": step, "messages": messages}
        try:
            fn, model = tools[call["tool"]]
            result = fn(**model.model_validate(call["arguments"]).model_dump())
            messages.append({"role": "tool", "name": call["tool"], "content": json.dumps(result)})
        except Exception as exc:
            messages.append({"role": "tool", "content": f"error: {exc}"})
    return {"answer": None, "steps": max_steps, "messages": messages}
