import { spawn } from 'node:child_process';

/**
 * Opens a URL in the default browser when there is one to open (a desktop session), and otherwise does
 * nothing: the console prints its URL either way, so a headless machine or an SSH session loses nothing.
 * Never throws and never waits for the browser.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const command =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : env.DISPLAY !== undefined || env.WAYLAND_DISPLAY !== undefined
          ? ['xdg-open', url]
          : undefined;
  if (command === undefined) return false;
  try {
    const child = spawn(command[0] as string, command.slice(1), { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
