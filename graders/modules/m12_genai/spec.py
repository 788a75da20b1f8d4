"""The 12_genai module: its exercises in notebook order."""
from graders.engine.spec import Module

from .accumulation import accumulate_step
from .agent import tool_loop
from .attention import CausalSelfAttention
from .generation import generate
from .lora import LoRALinear
from .memory import training_memory_bytes
from .mixed_precision import bf16_train_step
from .rag import rag_answer
from .retrieval import chunk_text
from .sampling import filtered_probs

MODULE = Module(
    id="12_genai",
    version="1",
    title="Generative AI: decoding, KV cache, efficient fine-tuning, RAG and tool use",
    skill="generative ai",
    exercises=(filtered_probs, CausalSelfAttention, generate, LoRALinear, accumulate_step, bf16_train_step,
               training_memory_bytes, chunk_text, rag_answer, tool_loop),
    shared_child=True,        # function-call checks of one exercise share one sandbox child (runner._lane)
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    # torch first: the zygote pins it to one thread before forking any sandbox; torch._dynamo is what the
    # first optimizer imports (seconds), imported once here rather than in every probe's child. pydantic
    # for the agent's tools, scikit-learn's text features for learners' retrievers.
    preload=("numpy", "torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch._dynamo",
             "torch.profiler._cupti_monitor", "pydantic", "sklearn.feature_extraction.text",
             "graders.modules.m12_genai.helpers", "graders.modules.m12_genai.sandbox_models",
             "graders.modules.m12_genai.sandbox_loops", "graders.modules.m12_genai.sandbox_agents"),
    # the grading process imports them while the sandbox starts: the reference optimizer's first step
    grading_imports=("torch._dynamo", "torch.profiler._cupti_monitor"),
)
