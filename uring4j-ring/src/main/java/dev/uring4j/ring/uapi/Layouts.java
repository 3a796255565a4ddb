package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/** Derives field offsets from a struct layout once, at class initialisation. */
final class Layouts {
    private Layouts() {}

    /** Byte offset of the field reached by the given names, outermost first. */
    static long offset(MemoryLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = groupElement(path[i]);
        }
        return layout.byteOffset(elements);
    }
}
