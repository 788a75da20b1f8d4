def gradient_descent(grad, x0, lr, n_steps, momentum=0.0):
    x0 = np.asarray(x0, dtype=float)
    traj = np.empty((n_steps + 1,) + x0.shape)
    traj[0] = x0
    velocity = 0.0
    for t in range(n_steps):
        velocity = momentum * velocity - lr * grad(traj[t])
        traj[t + 1] = traj[t] + velocity
    return traj
