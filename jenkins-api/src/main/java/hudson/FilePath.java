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

    /**
     * As core: the file decoded with the AGENT's default charset (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/FilePath.java:2479),
     * here the one a test set with StandInJenkins.setAgentCharset (UTF-8 by default).
     */
    public String readToString() throws java.io.IOException, InterruptedException {
        io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins.agentRead(Thread.currentThread().getName());
        return new String(java.nio.file.Files.readAllBytes(new File(remote).toPath()),
                io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins.agentCharset());
    }

    public java.io.InputStream read() throws java.io.IOException, InterruptedException {
        return java.nio.file.Files.newInputStream(new File(remote).toPath());
    }

    @Override
    public String toString() {
        return remote;
    }
}
