package hudson;

import java.io.File;

/** Stand-in: only a local path (remoting is not emulated). */
public final class FilePath implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String remote;

    public FilePath(File localPath) {
        this.remote = localPath.getPath();
    }

    public String getRemote() {
        return remote;
    }

    public String getName() {
        return new File(remote).getName();
    }

    public boolean exists() throws java.io.IOException, InterruptedException {
        return new File(remote).exists();
    }

    public FilePath child(String relOrAbsolute) {
        File f = new File(relOrAbsolute);
        return new FilePath(f.isAbsolute() ? f : new File(remote, relOrAbsolute));
    }

    public String readToString() throws java.io.IOException, InterruptedException {
        return java.nio.file.Files.readString(new File(remote).toPath());
    }

    @Override
    public String toString() {
        return remote;
    }
}
