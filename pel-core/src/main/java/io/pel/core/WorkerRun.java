package io.pel.core;

/** A block that the parallel executor's helper threads work on. */
interface WorkerRun {

    /** Distinguishes blocks, so a helper works on each one once. */
    long generation();

    /** Works on the block as worker {@code id} until there is nothing left for it. Never throws. */
    void work(int id);

    /** Called by a helper thread when it leaves the block. */
    void leave();
}
