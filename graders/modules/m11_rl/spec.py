"""The 11_rl module: its exercises in notebook order."""
from graders.engine.spec import Module

from .cartpole import train_cartpole
from .dp import policy_evaluation
from .episodes import EpisodeStats
from .exploration import epsilon_greedy
from .losses import gaussian_log_likelihood, ppo_clip_loss
from .replay import ReplayBuffer
from .returns import discounted_returns
from .td import q_update

MODULE = Module(
    id="11_rl",
    version="1",
    title="Reinforcement learning: dynamic programming, TD learning and policy gradients on Gymnasium",
    skill="reinforcement learning",
    exercises=(discounted_returns, policy_evaluation, q_update, epsilon_greedy, ReplayBuffer,
               gaussian_log_likelihood, ppo_clip_loss, EpisodeStats, train_cartpole),
    shared_child=True,        # function-call checks of one exercise share one sandbox child (runner._lane)
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    # torch first: the zygote pins it to one thread before forking any sandbox. The environments' modules are
    # imported once here, and torch.distributions is loaded so that its tripwires are installed on the loaded
    # classes. torch._dynamo is what the first optimizer step imports (1 s, 814 modules): only train_cartpole
    # steps an optimizer, but every probe is a fresh fork, so without it here each train_cartpole probe (each
    # check, each submission of a class) imported it again; here it imports once, while the spec imports.
    # torch.profiler._cupti_monitor is the one module an optimizer step still imports after that.
    preload=("numpy", "torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch._dynamo",
             "torch.profiler._cupti_monitor", "torch.distributions", "gymnasium",
             "gymnasium.wrappers", "gymnasium.envs.classic_control.cartpole", "gymnasium.envs.toy_text",
             "graders.modules.m11_rl.helpers", "graders.modules.m11_rl.sandbox_probes"),
    # the grading process imports them while the sandbox starts: the replay buffer's uniformity test
    grading_imports=("torch", "scipy.stats"),
)
