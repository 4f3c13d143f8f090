import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

/**
 * A real nodemailer transport to a local Ephemail. Plain text by default
 * (`ignoreTLS`); pass options to test STARTTLS or AUTH. One connection per
 * message, closed after it, so servers shut down promptly.
 */
export function mailer(port: number, options: SMTPTransport.Options = {}): Transporter<SMTPTransport.SentMessageInfo> {
  return nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, ...options });
}
