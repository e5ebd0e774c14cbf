package io.pel.ledger.store;

/**
 * The storage engine failed (disk full, directory locked by another process, I/O error) or found data it did
 * not write. Nothing a caller passed in is the cause; the operation that threw had no effect.
 */
public final class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
