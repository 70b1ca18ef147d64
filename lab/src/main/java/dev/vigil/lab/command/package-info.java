/** Running the host programs the lab drives (iproute2, runc, mount, openssl), with failures that explain themselves. */
package dev.vigil.lab.command;
