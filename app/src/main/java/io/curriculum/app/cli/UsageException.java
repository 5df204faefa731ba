package io.curriculum.app.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Something the user asked for that cannot be done as asked; the message says what to do instead. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(final String message) {
        super(message);
    }

    /** A file the user named cannot be written: {@code cannot write FILE: permission denied}, with the option if given. */
    public static UsageException cannotWrite(final String option, final Path file, final IOException e) {
        return new UsageException((option == null ? "" : option + " ") + "cannot write " + file + ": " + reason(e));
    }

    private static String reason(final IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " is not a directory";
        }
        if (e instanceof FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
