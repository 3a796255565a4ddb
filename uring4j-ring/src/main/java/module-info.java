/**
 * The io_uring binding: rings, SQE prep helpers, completions, provided-buffer rings and the
 * kernel's feature probe, with the layouts and constants of {@code io_uring.h}. No threads, no
 * policy, no allocation after setup.
 *
 * <p>Restricted FFM calls are made here, so a program on the module path runs with
 * {@code --enable-native-access=dev.uring4j.ring}. The raw system calls ({@code sys}) serve the
 * runtime only.
 */
@SuppressWarnings("module") // the qualified export names a module compiled after this one
module dev.uring4j.ring {
    exports dev.uring4j.ring;
    exports dev.uring4j.ring.uapi;
    exports dev.uring4j.ring.sys to dev.uring4j.runtime;
}
